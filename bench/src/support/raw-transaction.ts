import type { Pool, PoolClient } from 'pg';

/** The raw baselines' schema in the bench database (kept light: the raw flow's processes load it). */
export const RAW_SCHEMA = 'bench_raw';

/** Runs `work` in one transaction on a pooled connection, as a service's handler does. */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
