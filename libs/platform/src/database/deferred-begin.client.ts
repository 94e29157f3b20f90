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
 */
export class DeferredBeginClient {
  private begun = false;
  private readonly begin: string;

  constructor(
    private readonly client: PoolClient,
    config: PgTransactionConfig = {},
  ) {
    this.begin = beginStatement(config);
  }

  /** Begins with `sql` (simple protocol, literals already escaped); its result. */
  beginWith(sql: string): Promise<QueryResult> {
    this.begun = true;
    return this.lastOf(this.client.query(`${this.begin}; ${sql}`));
  }

  async query(statement: Statement, values?: unknown[]): Promise<QueryResult> {
    if (this.begun) return this.client.query(statement as QueryConfig, values);
    this.begun = true;
    const config = typeof statement === 'string' ? { text: statement } : statement;
    const inlined = inlineParameters(config.text, values ?? config.values ?? []);
    if (inlined === undefined) {
      await this.client.query(this.begin);
      return this.client.query(config, values);
    }
    // Unnamed: a named statement would be prepared, which the simple protocol cannot do.
    const text = `${this.begin}; ${inlined}`;
    return this.lastOf(this.client.query({ ...config, name: undefined, values: undefined, text }));
  }

  async commit(): Promise<void> {
    if (this.begun) await this.client.query('commit');
  }

  async rollback(): Promise<void> {
    if (this.begun) await this.client.query('rollback');
  }

  /** A multi-statement query resolves to one result per statement. */
  private async lastOf(query: Promise<unknown>): Promise<QueryResult> {
    const results = (await query) as QueryResult[];
    return results[results.length - 1];
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
