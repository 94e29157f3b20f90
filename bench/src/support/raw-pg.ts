import { DEFAULT_POOL_SIZE } from '@app/platform';
import { Client, Pool, type PoolClient } from 'pg';

/** A pool sized like a service's (DEFAULT_POOL_SIZE), for the raw baselines. */
export function rawPool(connectionString: string, max = DEFAULT_POOL_SIZE): Pool {
  const pool = new Pool({ connectionString, max, application_name: 'bench-raw' });
  pool.on('error', () => undefined);
  return pool;
}

export async function rawClient(connectionString: string, name: string): Promise<Client> {
  const client = new Client({ connectionString, application_name: name });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

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
