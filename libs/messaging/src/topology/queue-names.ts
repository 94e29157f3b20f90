export const deadLetterQueueName = (queue: string): string => `${queue}.dlq`;

/** One retry queue per delay: every message in it waits the same time, so none blocks another. */
export const retryQueueName = (queue: string, delayMs: number): string =>
  `${queue}.retry.${delayMs}ms`;

/**
 * The consuming queue a dead-letter or retry queue belongs to, by the names above (`q` for
 * `q.dlq` and `q.retry.5000ms`); undefined for any other queue.
 */
export function ownerOfSideQueue(
  name: string,
): { queue: string; role: 'dead-letter' | 'retry' } | undefined {
  const match = /^(.+)\.(dlq|retry\.\d+ms)$/.exec(name);
  if (!match) return undefined;
  return { queue: match[1], role: match[2] === 'dlq' ? 'dead-letter' : 'retry' };
}

/**
 * The jitter of a retry delay, as extra queues: a configured delay `d` is served by queues
 * waiting d, 1.25·d and 1.5·d, and each retry picks one at random. Messages that failed together
 * come back in three smaller waves instead of one burst, while every queue keeps a single TTL
 * (a per-message TTL only expires at the head of a queue, which would undo the jitter).
 */
export const RETRY_JITTER_STEPS = [1, 1.25, 1.5] as const;

/** The delays actually waited for a configured retry delay: one queue each. */
export const jitteredDelays = (delayMs: number): number[] =>
  RETRY_JITTER_STEPS.map((step) => Math.round(delayMs * step));

/** The retry queues behind `delaysMs`, jitter included, each named once. */
export const retryQueueNames = (queue: string, delaysMs: readonly number[]): string[] => [
  ...new Set(delaysMs.flatMap(jitteredDelays).map((delay) => retryQueueName(queue, delay))),
];

/** One of the jittered delays for `delayMs`, chosen by `random` (0 ≤ r < 1). */
export function pickJitteredDelay(delayMs: number, random: () => number = Math.random): number {
  const delays = jitteredDelays(delayMs);
  return delays[Math.min(delays.length - 1, Math.floor(random() * delays.length))];
}
