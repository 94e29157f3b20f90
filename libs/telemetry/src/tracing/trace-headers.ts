import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';

/** The current trace context as W3C headers (`traceparent`, `tracestate`), to store or send. */
export function currentTraceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

/** Runs `work` in the trace context carried by `headers`, e.g. one stored with an outbox row. */
export function withTraceHeaders<T>(headers: Record<string, unknown>, work: () => T): T {
  return context.with(propagation.extract(ROOT_CONTEXT, headers), work);
}
