/** The time given to `answersWithin` ran out before its work settled. */
class NoAnswerError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'NoAnswerError';
  }
}

/**
 * What `work` resolves to, or a rejection `no answer within <ms> ms` once the time runs out first
 * (the work goes on unwatched). The timer is cleared either way. For checks that must answer
 * while a dependency hangs.
 */
export async function answersWithin<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new NoAnswerError(ms)), ms);
  });
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits for `work` to settle, but no longer than `ms`: true when it did in time, false when the
 * time ran out first (the work goes on unwatched). A rejection of `work` is rethrown. For
 * shutdown steps, which must end.
 */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  try {
    await answersWithin(work, ms);
    return true;
  } catch (error) {
    if (error instanceof NoAnswerError) return false;
    throw error;
  }
}
