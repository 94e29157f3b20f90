import type { Database } from '@app/platform';
import { and, type Column, gt, isNull, min, sql } from 'drizzle-orm';
import type { OutboxTable } from './outbox.table';

type Outbox = OutboxTable;
type Executor = Pick<Database, 'select' | 'update'>;

/**
 * The longest a refused row waits before its next attempt. Unroutable rows wait for a consumer
 * to declare its queue; once it has, the row goes within this time, however long it waited.
 */
export const MAX_ROW_RETRY_SECONDS = 30;

/**
 * How long until the nearest row that is not due yet becomes due (a scheduled message, or a
 * refused one waiting to be retried), by the database's clock; undefined when there is none.
 */
export async function msUntilNextDue(db: Executor, outbox: Outbox): Promise<number | undefined> {
  const [row] = await db
    .select({
      ms: sql<
        string | null
      >`extract(epoch from ${min(outbox.nextAttemptAt)} - clock_timestamp()) * 1000`,
    })
    .from(outbox)
    .where(and(isNull(outbox.sentAt), gt(outbox.nextAttemptAt, sql`clock_timestamp()`)));
  return row?.ms === null || row?.ms === undefined ? undefined : Math.max(0, Number(row.ms));
}

/** Marks rows sent; returns, for each scheduled one, how late after its due time it went. */
export async function markSent(tx: Executor, outbox: Outbox, ids: string[]): Promise<number[]> {
  const marked = await tx
    .update(outbox)
    .set({ sentAt: sql`now()` })
    .where(anyOf(outbox.id, ids))
    .returning({
      lateSeconds: sql<
        number | null
      >`extract(epoch from clock_timestamp() - ${outbox.deliverAt})::float8`,
    });
  return marked.flatMap(({ lateSeconds }) =>
    lateSeconds === null ? [] : [Math.max(0, lateSeconds)],
  );
}

/** Counts a refused attempt and puts the next one off: 1 s doubling, at most 30 s. */
export async function markRefused(
  tx: Executor,
  outbox: Outbox,
  ids: string[],
  reason: string,
): Promise<void> {
  await tx
    .update(outbox)
    .set({
      attempts: sql`${outbox.attempts} + 1`,
      lastError: reason,
      nextAttemptAt: sql`now() + make_interval(secs => least(power(2, ${outbox.attempts}), ${MAX_ROW_RETRY_SECONDS}))`,
    })
    .where(anyOf(outbox.id, ids));
}

/** `id = any($1::uuid[])`: one parameter for the whole batch, where `in (…)` would take 100. */
function anyOf(column: Column, ids: string[]) {
  return sql`${column} = any(${sql.param(ids)}::uuid[])`;
}
