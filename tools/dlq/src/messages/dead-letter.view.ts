import { type Headers, headerText, MESSAGE_ID_HEADER, MessageHeaders } from '@app/messaging';
import type { Message } from 'amqplib';

/** How a message without any id is shown; it can be chosen only with --all. */
export const NO_MESSAGE_ID = '(none)';

export interface DeadLetterSummary {
  messageId?: string;
  type?: string;
  failedAt?: string;
  attempts?: string;
  sourceQueue?: string;
  error?: string;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (Buffer.isBuffer(value) && value.length > 0) return value.toString('utf8');
  return undefined;
}

/** The id consumers deduplicate on: the property, else the header, as the consumer reads it. */
export function messageIdOf(message: Message): string | undefined {
  return (
    text(message.properties.messageId) ?? headerText(message.properties.headers, MESSAGE_ID_HEADER)
  );
}

interface DeathRecord {
  queue?: string;
  reason?: string;
  count?: number;
  time?: unknown;
  /** The routing key the message had before the broker dead-lettered it. */
  routingKey?: string;
}

/**
 * The broker's most recent dead-lettering of the message, when it did it rather than a consumer.
 * Read field by field: anyone who may publish to the queue can send an `x-death` of their own.
 */
export function latestDeath(headers: Headers | undefined): DeathRecord | undefined {
  const deaths = headers?.['x-death'];
  if (!Array.isArray(deaths) || deaths.length === 0) return undefined;
  const first: unknown = deaths[0];
  if (typeof first !== 'object' || first === null) return undefined;
  const record = first as Record<string, unknown>;
  return {
    queue: text(record.queue),
    reason: text(record.reason),
    count: typeof record.count === 'number' ? record.count : undefined,
    time: record.time,
    routingKey: Array.isArray(record['routing-keys']) ? text(record['routing-keys'][0]) : undefined,
  };
}

/**
 * The message's type as its consumer read it: the `type` property, or for a client that set
 * none, the routing key it came by, which the broker's dead-lettering keeps only in `x-death`.
 * A copy the consumer made always has its type.
 */
export function messageTypeOf(message: Message): string | undefined {
  return text(message.properties.type) ?? latestDeath(message.properties.headers)?.routingKey;
}

/** AMQP timestamps arrive as seconds, tagged by amqplib inside tables; any 64-bit value may. */
export function timestampText(value: unknown): string | undefined {
  const seconds =
    typeof value === 'object' && value !== null && 'value' in value ? value.value : value;
  if (typeof seconds !== 'number') return undefined;
  const time = new Date(seconds * 1000);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

function brokerReason(death: DeathRecord | undefined, lastError: string | undefined) {
  if (!death) return lastError;
  const note = `dead-lettered by the broker (${death.reason ?? 'unknown reason'} on ${death.queue ?? '?'})`;
  return lastError ? `${lastError}; ${note}` : note;
}

export function summarize(message: Message): DeadLetterSummary {
  const headers = message.properties.headers;
  const death = latestDeath(headers);
  return {
    messageId: messageIdOf(message),
    type: messageTypeOf(message),
    failedAt: headerText(headers, MessageHeaders.failedAt) ?? timestampText(death?.time),
    attempts:
      headerText(headers, MessageHeaders.attempts) ?? headerText(headers, MessageHeaders.attempt),
    sourceQueue: headerText(headers, MessageHeaders.sourceQueue) ?? death?.queue,
    error:
      headerText(headers, MessageHeaders.error) ??
      brokerReason(death, headerText(headers, MessageHeaders.lastError)),
  };
}
