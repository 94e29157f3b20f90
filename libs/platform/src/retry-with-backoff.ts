export interface RetryWithBackoffOptions {
  deadlineMs: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  onRetry?: (error: Error, delayMs: number) => void;
  /** Whether another try could help; by default every failure is tried again. */
  isTransient?: (error: unknown) => boolean;
}

/** Runs `work` until it succeeds, doubling the pause between tries, and gives up at the deadline. */
export async function retryWithBackoff<T>(
  work: () => Promise<T>,
  options: RetryWithBackoffOptions,
): Promise<T> {
  const giveUpAt = Date.now() + options.deadlineMs;
  let delayMs = options.initialDelayMs ?? 250;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (options.isTransient?.(error) === false) throw failure;
      if (Date.now() + delayMs > giveUpAt) throw failure;
      options.onRetry?.(failure, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, options.maxDelayMs ?? 5000);
    }
  }
}
