import type { PgTransactionConfig } from 'drizzle-orm/pg-core';
import type { PoolClient, QueryConfig, QueryResult } from 'pg';
import { inlineParameters } from './inline-parameters';

/** What drizzle's node-postgres session passes to `query` (it adds rowMode and type parsers). */
type Statement = string | QueryConfig;

/**
 * A transaction's connection that sends BEGIN with the transaction's first statement, in one
 * round trip: a simple-protocol query `begin; <statement>`, its values inlined as escaped
 * literals. A statement that cannot be inlined follows a BEGIN of its own, as before. A
 * transaction that sends no statement never begins, so it has nothing to commit.
 *
 * A write whose result nobody reads (an outbox insert) can wait the same way (`defer`): it goes
 * ahead of the transaction's next statement, or with its COMMIT. The statements run in the order
 * they were given; only a deferred write's error arrives later, with that statement or the commit.
 */
export class DeferredBeginClient {
  private begun = false;
  private readonly begin: string;
  /** Simple-protocol SQL waiting for the next round trip: deferred writes. */
  private waiting: string[] = [];

  constructor(
    private readonly client: PoolClient,
    config: PgTransactionConfig = {},
  ) {
    this.begin = beginStatement(config);
  }

  async query(statement: Statement, values?: unknown[]): Promise<QueryResult> {
    if (this.begun && this.waiting.length === 0) {
      return this.client.query(statement as QueryConfig, values);
    }
    const config = typeof statement === 'string' ? { text: statement } : statement;
    const inlined = inlineParameters(config.text, values ?? config.values ?? []);
    if (inlined === undefined) {
      await this.client.query(this.withWaiting());
      return this.client.query(statement as QueryConfig, values);
    }
    const text = this.withWaiting(inlined);
    // Text given as text goes as text: pg copies a config object, property by property.
    if (typeof statement === 'string') return this.lastOf(this.client.query(text));
    // Unnamed: a named statement would be prepared, which the simple protocol cannot do.
    return this.lastOf(this.client.query({ ...config, name: undefined, values: undefined, text }));
  }

  /**
   * Holds a write for the next round trip; false (nothing held) when its values cannot be
   * inlined, for the caller to send it now.
   */
  defer(text: string, values: readonly unknown[]): boolean {
    const inlined = inlineParameters(text, values);
    if (inlined !== undefined) this.waiting.push(inlined);
    return inlined !== undefined;
  }

  /**
   * COMMIT, with any deferred writes. PostgreSQL answers the COMMIT of a transaction a failed
   * statement has aborted with a ROLLBACK and no error; that is an error here, or a caller that
   * caught the statement's error would take its work for committed.
   */
  async commit(): Promise<void> {
    if (!this.begun && this.waiting.length === 0) return;
    const { command } = await this.lastOf(this.client.query(this.withWaiting('commit')));
    if (command === 'ROLLBACK') throw new TransactionAbortedError();
  }

  async rollback(): Promise<void> {
    this.waiting = [];
    if (this.begun) await this.client.query('rollback');
  }

  /**
   * One simple-protocol query: BEGIN if not sent yet, the deferred writes, then `sql`. From here
   * on the transaction has begun, even if the query fails: a rollback must follow.
   */
  private withWaiting(sql?: string): string {
    const statements = [...(this.begun ? [] : [this.begin]), ...this.waiting];
    if (sql !== undefined) statements.push(sql);
    this.begun = true;
    this.waiting = [];
    return statements.join('; ');
  }

  /** A multi-statement query resolves to one result per statement. */
  private async lastOf(query: Promise<unknown>): Promise<QueryResult> {
    const results = (await query) as QueryResult | QueryResult[];
    return Array.isArray(results) ? results[results.length - 1] : results;
  }
}

/** A COMMIT PostgreSQL turned into a ROLLBACK: a statement of the transaction had failed. */
export class TransactionAbortedError extends Error {
  constructor() {
    super('the transaction was rolled back at COMMIT: one of its statements had failed');
    this.name = 'TransactionAbortedError';
  }
}

/** BEGIN with the transaction's characteristics (values of fixed unions, no user text). */
function beginStatement({ isolationLevel, accessMode, deferrable }: PgTransactionConfig): string {
  return [
    'begin',
    isolationLevel && `isolation level ${isolationLevel}`,
    accessMode,
    deferrable !== undefined && (deferrable ? 'deferrable' : 'not deferrable'),
  ]
    .filter(Boolean)
    .join(' ');
}
