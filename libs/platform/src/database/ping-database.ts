import type { Pool } from 'pg';

/**
 * How long a ping may take. A pool with no free connection, or a connection to a host that
 * vanished without a reset, would otherwise wait its own timeouts (seconds to minutes).
 */
export const PING_TIMEOUT_MS = 1_000;

/** Resolves when the database answers `select 1` in time; rejects with why it did not. */
export async function pingDatabase(pool: Pool, timeoutMs = PING_TIMEOUT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([pool.query('select 1'), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
