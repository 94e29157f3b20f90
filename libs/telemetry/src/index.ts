export * from './metrics/read-for-gauge';
export * from './metrics/http-metrics';
export * from './metrics/messaging-metrics';
export * from './metrics/metric-names';
export * from './metrics/metrics.module';
export * from './tracing/shutdown-tracing';
export * from './tracing/trace-headers';
export * from './tracing/tracing-problems';
