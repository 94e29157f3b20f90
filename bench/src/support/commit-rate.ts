import { RAW_SCHEMA } from './fixture';
import { rawClient } from './raw-pg';

/**
 * The raw commit rate: `clients` connections, each committing one single-row insert
 * transaction (`begin; insert` in one round trip, then `commit`) after the other for
 * `durationMs`: what a PostgreSQL transaction costs on this machine right now, the unit an
 * order's commits are counted in. BEGIN travels with the first statement, as it does in the
 * starter's transactions and the raw flow's.
 * `notify` adds a pg_notify to each transaction, as the outbox writer did before it woke its
 * relay in-process (a diagnostic: what NOTIFY costs).
 */
export async function rawCommitRate(
  connectionString: string,
  clients: number,
  durationMs: number,
  notify = false,
): Promise<number> {
  const connections = await Promise.all(
    Array.from({ length: clients }, (_, i) => rawClient(connectionString, `bench-commit-${i}`)),
  );
  // The client's index inlined: a query of two statements takes no parameters.
  const plain = (index: number) => `insert into ${RAW_SCHEMA}.commits (client) values (${index})`;
  // In the same statement, as the outbox writer sent its insert and NOTIFY: no extra round trip.
  const insert = (index: number) =>
    notify ? `with i as (${plain(index)}) select pg_notify('bench_commits', '')` : plain(index);
  try {
    await connections[0].query(`truncate ${RAW_SCHEMA}.commits`);
    let commits = 0;
    const startedAt = performance.now();
    const deadline = startedAt + durationMs;
    await Promise.all(
      connections.map(async (client, index) => {
        const transaction = `begin; ${insert(index)}`;
        while (performance.now() < deadline) {
          await client.query(transaction);
          await client.query('commit');
          commits++;
        }
      }),
    );
    return commits / ((performance.now() - startedAt) / 1000);
  } finally {
    await Promise.all(connections.map((client) => client.end()));
  }
}
