import {
  escapeLiteral,
  type Pool,
  type PoolClient,
  type QueryResult,
  type QueryResultRow,
} from 'pg';

/** The raw baselines' schema in the bench database (kept light: the raw flow's processes load it). */
export const RAW_SCHEMA = 'bench_raw';

/** A value as an SQL literal; the raw SQL sends scalars this way, never a Date, Buffer or array. */
function literal(value: unknown, text: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return escapeLiteral(value);
  throw new Error(`raw SQL inlines scalars only; got ${typeof value} for ${text}`);
}

const inline = (text: string, values: readonly unknown[]): string =>
  text.replace(/\$(\d+)/g, (_, position: string) => literal(values[Number(position) - 1], text));

/**
 * One transaction on one connection, with the round trips the starter's transactions save
 * (libs/platform's DeferredBeginClient), so the raw side is not handicapped by them: BEGIN goes
 * with the first statement, and outbox writes (`defer`) go with the next statement or the
 * COMMIT, in one simple-protocol query with their values inlined.
 */
export class RawTransaction {
  private begun = false;
  private waiting: string[] = [];
  /** How many writes were deferred: a commit with any has outbox rows for the relay. */
  deferredWrites = 0;

  constructor(private readonly client: PoolClient) {}

  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values: readonly unknown[] = [],
  ): Promise<QueryResult<R>> {
    if (this.begun && this.waiting.length === 0) return this.client.query<R>(text, [...values]);
    return this.send<R>(inline(text, values));
  }

  defer(text: string, values: readonly unknown[]): void {
    this.waiting.push(inline(text, values));
    this.deferredWrites++;
  }

  /** A COMMIT answered with ROLLBACK (a failed statement aborted the transaction) is an error. */
  async commit(): Promise<void> {
    if (!this.begun && this.waiting.length === 0) return;
    const { command } = await this.send('commit');
    if (command === 'ROLLBACK') throw new Error('the transaction was rolled back at COMMIT');
  }

  async rollback(): Promise<void> {
    this.waiting = [];
    if (this.begun) await this.client.query('rollback');
  }

  private async send<R extends QueryResultRow>(sql: string): Promise<QueryResult<R>> {
    const statements = [...(this.begun ? [] : ['begin']), ...this.waiting, sql];
    this.begun = true;
    this.waiting = [];
    // A multi-statement simple query resolves to one result per statement.
    const results = (await this.client.query(statements.join('; '))) as unknown as
      QueryResult<R> | QueryResult<R>[];
    return Array.isArray(results) ? results[results.length - 1] : results;
  }
}

/**
 * Runs `work` in one transaction on a pooled connection, as a service's handler does. Resolves
 * with its value and whether the commit carried outbox rows (the relay is woken for those only).
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (transaction: RawTransaction) => Promise<T>,
): Promise<{ value: T; wroteOutbox: boolean }> {
  const client = await pool.connect();
  const transaction = new RawTransaction(client);
  try {
    const value = await work(transaction);
    await transaction.commit();
    return { value, wroteOutbox: transaction.deferredWrites > 0 };
  } catch (error) {
    await transaction.rollback().catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
