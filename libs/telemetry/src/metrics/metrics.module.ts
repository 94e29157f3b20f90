import { Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { collectDefaultMetrics, register } from 'prom-client';
import { httpMetricProviders, HttpMetrics } from './http-metrics';
import { messagingMetricProviders, MessagingMetrics } from './messaging-metrics';
import { MetricsController } from './metrics.controller';

/**
 * The event loop delay histogram samples on a timer of this period. prom-client's default, 10 ms,
 * wakes an idle service 100 times a second, each wake-up a trip through the scheduler of a busy
 * machine; at 100 ms a stall of the loop still shows in the histogram, 10 times fewer wake-ups.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

/** Process metrics (CPU, memory, event loop lag, GC), registered once per process. */
function collectProcessMetrics(): void {
  if (!register.getSingleMetric('process_cpu_user_seconds_total')) {
    collectDefaultMetrics({ eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }
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
