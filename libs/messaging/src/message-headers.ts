/** Headers the messaging layer reads and writes besides the correlation and trace headers. */
export const MessageHeaders = {
  /**
   * 1-based number of the delivery attempt this copy represents; written by the consumer as an
   * AMQP integer, read only within the queue's retry policy (see boundedCount).
   */
  attempt: 'x-attempt',
  /** Absolute deadline (epoch ms) of an RPC request; a responder skips work past it. */
  deadline: 'x-deadline',
  /** Set on dead-lettered copies: why, after how many attempts, from where and when. */
  error: 'x-error',
  attempts: 'x-attempts',
  sourceQueue: 'x-source-queue',
  failedAt: 'x-failed-at',
  /** How many times the message waited out a dependency's outage without using an attempt. */
  deferrals: 'x-deferrals',
  /** The last transient error, carried on a copy waiting in a retry queue. */
  lastError: 'x-last-error',
  /** Set by the DLQ tool's replay: a new life of the message, which may be dead-lettered again. */
  replayedAt: 'x-replayed-at',
} as const;

export type Headers = Record<string, unknown>;

/** Header values from other clients may arrive as byte strings; read them as text. */
export function headerText(headers: Headers | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function headerInteger(headers: Headers | undefined, name: string): number | undefined {
  const text = headerText(headers, name);
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/**
 * A count the messaging layer writes itself (`x-attempt`, `x-deferrals`), read back only when it
 * still looks like what was written: an AMQP integer within [min, max]. Anything else — text such
 * as "3", a negative or an over-large number — is a forged or foreign header and reads as `min`,
 * so a sender can never widen a retry budget, and at most shorten its own message's.
 */
export function boundedCount(
  headers: Headers | undefined,
  name: string,
  bounds: { min: number; max: number },
): number {
  const value = headers?.[name];
  if (typeof value !== 'number' || !Number.isInteger(value)) return bounds.min;
  return value >= bounds.min && value <= bounds.max ? value : bounds.min;
}
