import { DEFAULT_POOL_SIZE } from '@app/platform';
import { Client, Pool } from 'pg';

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

export { inTransaction } from './raw-transaction';
