import type { Pool } from 'pg';
import { answersWithin } from '../settles-within';

/**
 * How long a ping may take. A pool with no free connection, or a connection to a host that
 * vanished without a reset, would otherwise wait its own timeouts (seconds to minutes).
 */
export const PING_TIMEOUT_MS = 1_000;

/** Resolves when the database answers `select 1` in time; rejects with why it did not. */
export async function pingDatabase(pool: Pool, timeoutMs = PING_TIMEOUT_MS): Promise<void> {
  await answersWithin(pool.query('select 1'), timeoutMs);
}
