import { RAW_SCHEMA } from './fixture';
import { rawClient } from './raw-pg';

/**
 * The raw commit rate: `clients` connections, each committing one single-row insert
 * transaction (begin; insert; commit) after the other for `durationMs`: what a PostgreSQL
 * transaction costs on this machine right now, the unit an order's commits are counted in.
 * `notify` adds a pg_notify to each transaction, as the outbox writer did before it woke its relay in-process (a diagnostic: what NOTIFY costs).
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
  const plain = `insert into ${RAW_SCHEMA}.commits (client) values ($1)`;
  // In the same statement, as the outbox writer sent its insert and NOTIFY: no extra round trip.
  const insert = notify ? `with i as (${plain}) select pg_notify('bench_commits', '')` : plain;
  try {
    await connections[0].query(`truncate ${RAW_SCHEMA}.commits`);
    let commits = 0;
    const startedAt = performance.now();
    const deadline = startedAt + durationMs;
    await Promise.all(
      connections.map(async (client, index) => {
        while (performance.now() < deadline) {
          await client.query('begin');
          await client.query(insert, [index]);
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
