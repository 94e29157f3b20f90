import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
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

/** The names of the process metrics, which outlive any one application in the process. */
let processMetricNames: ReadonlySet<string> = new Set();

const registeredNames = () => register.getMetricsAsArray().map((metric) => metric.name);

/** Process metrics (CPU, memory, event loop lag, GC), registered once per process. */
function collectProcessMetrics(): void {
  if (register.getSingleMetric('process_cpu_user_seconds_total')) return;
  const before = new Set(registeredNames());
  collectDefaultMetrics({ eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  processMetricNames = new Set(registeredNames().filter((name) => !before.has(name)));
}

/**
 * prom-client's registry is the process's, and a metric made for an application keeps reading
 * that application's providers when scraped (the outbox gauges its pool, the queue gauges its
 * channel). Removed when the application has shut down, they do not answer for a closed one:
 * the next application started in the process, as tests start one after another, makes its own.
 */
function removeApplicationMetrics(): void {
  for (const name of registeredNames()) {
    if (!processMetricNames.has(name)) register.removeSingleMetric(name);
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
export class MetricsModule implements OnApplicationShutdown {
  constructor() {
    collectProcessMetrics();
  }

  /** Runs once the HTTP server is closed, so no scrape sees the metrics go. */
  onApplicationShutdown(): void {
    removeApplicationMetrics();
  }
}
