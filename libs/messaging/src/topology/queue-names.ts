export const deadLetterQueueName = (queue: string): string => `${queue}.dlq`;

/** One retry queue per delay: every message in it waits the same time, so none blocks another. */
export const retryQueueName = (queue: string, delayMs: number): string =>
  `${queue}.retry.${delayMs}ms`;
