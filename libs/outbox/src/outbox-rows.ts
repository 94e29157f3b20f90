import { qualifiedTableName, sqlLiteral } from '@app/platform';
import type { QueryResult } from 'pg';
import type { OutboxMessageColumns, OutboxTable } from './outbox.table';

/**
 * The longest a refused row waits before its next attempt. Unroutable rows wait for a consumer
 * to declare its queue; once it has, the row goes within this time, however long it waited.
 */
export const MAX_ROW_RETRY_SECONDS = 30;

/**
 * The doublings it takes to reach that wait. The exponent is capped, not only the result:
 * PostgreSQL's power() overflows a double at 2^1024, about 8.5 hours of refusals.
 */
const MAX_ROW_RETRY_DOUBLINGS = Math.ceil(Math.log2(MAX_ROW_RETRY_SECONDS));

/** A claimed row: what a published message is made of (bookkeeping columns stay behind). */
export interface ClaimedRow extends OutboxMessageColumns {
  createdAt: Date;
}

export interface Claim {
  rows: ClaimedRow[];
  /**
   * How long until the nearest row not due yet becomes due (0 when it fell due since the claim);
   * undefined when there is none.
   */
  nextDueInMs?: number;
}

interface RawClaimedRow {
  id: string;
  exchange: string;
  routing_key: string;
  type: string;
  payload: unknown;
  headers: Record<string, string>;
  created_at: Date;
}

/**
 * The relay's SQL for one outbox table, written once. A relay transaction takes two round trips:
 * BEGIN goes with the claim (and the look at the nearest row not due yet, for the relay's timer),
 * COMMIT with the marks. Simple-protocol text, so values come escaped (ids are the rows' own
 * uuids, reasons are escaped literals); no named statements, which a transaction pooler refuses.
 */
export class OutboxRowStatements {
  private readonly table: string;
  readonly claim: string;

  constructor(outbox: OutboxTable, batchSize: number) {
    this.table = qualifiedTableName(outbox);
    const limit = Math.trunc(batchSize);
    // Both statements split the rows at the same instant, the transaction's start (now()): with
    // two readings of the clock, a row falling due between them would be neither claimed nor
    // waited for, and the relay would sleep a whole poll interval past it.
    this.claim =
      'begin; ' +
      `select id, exchange, routing_key, type, payload, headers, created_at from ${this.table} ` +
      'where sent_at is null and next_attempt_at <= now() ' +
      `order by next_attempt_at, created_at limit ${limit} for update skip locked; ` +
      'select extract(epoch from min(next_attempt_at) - clock_timestamp())::float8 * 1000 as ms ' +
      `from ${this.table} where sent_at is null and next_attempt_at > now()`;
  }

  /** Reads the claim's results: the rows, and the nearest row not due yet. */
  static claimed(results: QueryResult[]): Claim {
    const [, rows, next] = results;
    const ms = (next.rows[0] as { ms: number | null } | undefined)?.ms;
    return {
      rows: (rows.rows as RawClaimedRow[]).map((row) => ({
        id: row.id,
        exchange: row.exchange,
        routingKey: row.routing_key,
        type: row.type,
        payload: row.payload,
        headers: row.headers,
        createdAt: row.created_at,
      })),
      nextDueInMs: ms === null || ms === undefined ? undefined : Math.max(0, ms),
    };
  }

  /**
   * Marks rows sent, returning for each scheduled one how late after its due time it went
   * (`late_seconds`); the first statement of the relay's closing round trip. Both marks read the
   * clock as they run (clock_timestamp()), not the transaction's start: the publishes between
   * may take up to their timeout, and a wait counted from the claim would be over before it began.
   */
  markSent(ids: string[]): string {
    return (
      `update ${this.table} set sent_at = clock_timestamp() where id = any(${uuidArray(ids)}) ` +
      'returning extract(epoch from clock_timestamp() - deliver_at)::float8 as late_seconds'
    );
  }

  /** Counts a refused attempt and puts the next one off: 1 s doubling, at most 30 s. */
  markRefused(ids: string[], reason: string): string {
    return (
      `update ${this.table} set attempts = attempts + 1, last_error = ${sqlLiteral(reason)}, ` +
      'next_attempt_at = clock_timestamp() + make_interval(secs => least(' +
      `power(2, least(attempts, ${MAX_ROW_RETRY_DOUBLINGS})), ${MAX_ROW_RETRY_SECONDS})) ` +
      `where id = any(${uuidArray(ids)})`
    );
  }

  /** The lateness of each scheduled row in the result of `markSent`. */
  static lateSeconds(result: QueryResult): number[] {
    return (result.rows as { late_seconds: number | null }[]).flatMap(({ late_seconds: late }) =>
      late === null ? [] : [Math.max(0, late)],
    );
  }
}

/** `'{…}'::uuid[]`: one literal for the whole batch. */
function uuidArray(ids: string[]): string {
  return `${sqlLiteral(`{${ids.join(',')}}`)}::uuid[]`;
}
