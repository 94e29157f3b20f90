import { trace } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';

export const CORRELATION_ID_HEADER = 'x-correlation-id';
export const CAUSATION_ID_HEADER = 'x-causation-id';

/** CLS key of the id that causes outgoing messages: the consumed messageId, or the HTTP request's correlation id. */
export const CAUSATION_ID_KEY = 'causationId';

/**
 * The correlation and causation ids taken from a caller: 1–128 letters, digits, `.`, `_`, `:` or
 * `-`, starting with a letter or digit. Anything else is replaced, never rejected (documented in
 * the AsyncAPI document and the README).
 */
export const ACCEPTED_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$';
const ACCEPTED_ID = new RegExp(ACCEPTED_ID_PATTERN);

/** Accepts a caller's id only when it is short and plain, so it is safe to log and to forward. */
export function isAcceptableCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && ACCEPTED_ID.test(value);
}

export function acceptOrCreateCorrelationId(value: unknown): string {
  const candidate = Buffer.isBuffer(value) ? value.toString() : value;
  return isAcceptableCorrelationId(candidate) ? candidate : randomUUID();
}

/** Span attribute holding the correlation id, so a trace can be found by it (in Jaeger: Tags). */
export const CORRELATION_ID_ATTRIBUTE = 'correlation_id';

/** Marks the current span (an HTTP request's, a message's) with the correlation id. */
export function tagActiveSpan(correlationId: string): void {
  trace.getActiveSpan()?.setAttribute(CORRELATION_ID_ATTRIBUTE, correlationId);
}
