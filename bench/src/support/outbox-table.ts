import type { Pool } from 'pg';
import { sleep } from '../core/log';

/**
 * Commits `count` unsent rows to an outbox table in one statement and without NOTIFY, so no
 * relay is woken before the clock starts. They go to `routingKey` on the `events` exchange.
 */
export async function fillOutbox(
  pool: Pool,
  table: string,
  count: number,
  routingKey: string,
): Promise<void> {
  await pool.query(`truncate ${table}`);
  await pool.query(
    `insert into ${table} (id, exchange, routing_key, type, payload, headers)
     select gen_random_uuid(), 'events', $2, $2,
            jsonb_build_object('value', 'message ' || i),
            jsonb_build_object('x-correlation-id', 'bench-' || i, 'x-causation-id', 'bench-' || i)
     from generate_series(1, $1::int) as i`,
    [count, routingKey],
  );
}

/**
 * Waits until no row of `table` is unsent. Both relays are timed by this same observer, so
 * the few milliseconds it takes to notice count the same on both sides.
 */
export async function untilAllSent(pool: Pool, table: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const query = `select exists (select 1 from ${table} where sent_at is null) as pending`;
  for (;;) {
    const { rows } = await pool.query<{ pending: boolean }>(query);
    if (!rows[0].pending) return;
    if (performance.now() > deadline) {
      throw new Error(`${table} still has unsent rows after ${timeoutMs} ms`);
    }
    await sleep(5);
  }
}
