import { Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { collectDefaultMetrics, register } from 'prom-client';
import { httpMetricProviders, HttpMetrics } from './http-metrics';
import { messagingMetricProviders, MessagingMetrics } from './messaging-metrics';
import { MetricsController } from './metrics.controller';

/** Process metrics (CPU, memory, event loop lag, GC), registered once per process. */
function collectProcessMetrics(): void {
  if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
}

/**
 * GET /metrics in the Prometheus text format: process, HTTP and messaging metrics, plus the
 * gauges other libraries register (queue depths, outbox lag).
 */
@Global()
@Module({
  imports: [
    PrometheusModule.register({
      path: '/metrics',
      controller: MetricsController,
      defaultMetrics: { enabled: false },
    }),
  ],
  providers: [...messagingMetricProviders, ...httpMetricProviders, MessagingMetrics, HttpMetrics],
  exports: [MessagingMetrics, HttpMetrics],
})
export class MetricsModule {
  constructor() {
    collectProcessMetrics();
  }
}
