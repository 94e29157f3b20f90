import { errorMessage } from '@app/messaging';

/**
 * Waits for every publish, but no longer than `ms` for the whole batch: one timer, not one per
 * message. A publish still unconfirmed then counts as failed; if it is confirmed later, the row
 * is published again and the copy is deduplicated downstream.
 */
export async function settledWithin<T>(
  work: Promise<T>[],
  ms: number,
): Promise<PromiseSettledResult<T>[]> {
  const timedOut: PromiseSettledResult<T> = {
    status: 'rejected',
    reason: new Error(`no confirm from the broker within ${ms} ms`),
  };
  const results: PromiseSettledResult<T>[] = work.map(() => timedOut);
  const tracked = work.map((promise, index) =>
    promise.then(
      (value) => (results[index] = { status: 'fulfilled', value }),
      (reason: unknown) => (results[index] = { status: 'rejected', reason }),
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([Promise.all(tracked), deadline]);
  clearTimeout(timer);
  return [...results];
}

/** The ids of the rows whose publish failed, grouped by the reason, for one update each. */
export function failuresByReason(
  rows: { id: string }[],
  results: PromiseSettledResult<void>[],
): Map<string, string[]> {
  const byReason = new Map<string, string[]>();
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') return;
    const reason = errorMessage(result.reason).slice(0, 500);
    byReason.set(reason, [...(byReason.get(reason) ?? []), rows[index].id]);
  });
  return byReason;
}
