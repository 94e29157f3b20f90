import { type SQL, sql, type SQLWrapper } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './database.tokens';

/** When the outbox and the inbox are pruned: hourly, on the hour, once across replicas. */
export const PRUNE_CRON = '0 * * * *';

/** Rows deleted per statement: small enough never to block the relay or a handler for long. */
export const PRUNE_BATCH = 5_000;

/**
 * One batch of a pruner: deletes at most PRUNE_BATCH rows of `table` that `expired` selects,
 * named by their `keys`, skipping rows another transaction holds (a handler's, a replica's
 * prune), so it never waits on them; returns how many went.
 */
export async function deleteExpiredBatch(
  db: Database,
  table: PgTable,
  keys: SQLWrapper[],
  expired: SQL,
): Promise<number> {
  const key = sql.join(keys, sql`, `);
  const result = await db.execute(sql`
    delete from ${table} where (${key}) in (
      select ${key} from ${table} where ${expired}
      limit ${PRUNE_BATCH} for update skip locked)`);
  return result.rowCount ?? 0;
}

/**
 * Deletes a table's expired rows, PRUNE_BATCH at a time until a batch comes back short. A
 * subclass says which rows, one batch at a time, skipping rows other replicas hold, and runs
 * `prune` as a periodic job. Every run deletes all that has expired, so an hour that failed or
 * was missed is made up by the next.
 */
export abstract class BatchPruner {
  /** What is deleted, as the log line says it ("inbox row(s)"). */
  protected abstract readonly rows: string;

  /** Deletes at most PRUNE_BATCH expired rows; returns how many. */
  protected abstract pruneBatch(): Promise<number>;

  /** Deletes every expired row; returns how many. */
  async prune(): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.pruneBatch();
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }

  /** Prunes, saying what went: the end of the periodic job's log line. */
  protected async pruneAndReport(): Promise<string> {
    return `pruned ${await this.prune()} ${this.rows}`;
  }
}
