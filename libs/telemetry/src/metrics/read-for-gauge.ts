/**
 * How long a gauge read from the database may take during a scrape. Prometheus waits 10 s by
 * default for the whole page; a pool with no free connection would make this one wait 5 s.
 */
export const DATABASE_GAUGE_TIMEOUT_MS = 2_000;

/**
 * The value of a gauge read from another system (the database, the broker), or undefined when
 * it fails or does not answer in time. One gauge that throws fails the whole scrape, and with it
 * every other metric just when they tell most (an outage): the caller keeps the gauge's last
 * value or leaves it out instead.
 */
export async function readForGauge<T>(
  read: () => Promise<T>,
  timeoutMs = DATABASE_GAUGE_TIMEOUT_MS,
): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return await Promise.race([read().catch(() => undefined), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
