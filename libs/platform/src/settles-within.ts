/**
 * Waits for `work` to settle, but no longer than `ms`: true when it did in time, false when the
 * time ran out first (the work goes on unwatched). A rejection of `work` is rethrown. The timer
 * is cleared either way. For shutdown steps, which must end.
 */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What `work` resolves to, or a rejection `no answer within <ms> ms` once the time runs out first
 * (the work goes on unwatched). For checks that must answer while a dependency hangs.
 */
export async function answersWithin<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
