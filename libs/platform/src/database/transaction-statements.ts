import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { drizzle, type NodePgClient } from 'drizzle-orm/node-postgres';
import type { Pool, QueryConfig, QueryResult } from 'pg';
import type { Database, DatabaseTransactionHost } from './database.tokens';
import { DeferredBeginClient } from './deferred-begin.client';

/** What a statement may be built with: the query builders, not transactions or raw execution. */
export type StatementBuilder = Pick<Database, 'insert' | 'select' | 'update' | 'delete'>;

/** A drizzle statement not yet prepared: an insert, select, update or delete builder. */
export interface Preparable<P> {
  prepare(name: string): P;
}

/** What TransactionStatements.prepare returns for `build`: the type of a statement field. */
export type PreparedStatement<B extends (db: StatementBuilder) => Preparable<unknown>> = ReturnType<
  ReturnType<B>['prepare']
>;

/**
 * pg sends a statement with an empty name as an unnamed one, parsed by PostgreSQL on each run
 * like every other statement. A named one would be parsed once per connection, but behind a
 * transaction-pooling PgBouncer (1.18) the next transaction may run on a server connection that
 * never saw it.
 */
const UNNAMED = '';

/**
 * Statements built once, for hot paths such as a message handler's insert. A drizzle query
 * builder redoes its work on every call (the SQL text, the parameters, a prepared-query object:
 * tens of microseconds for a plain insert); a prepared statement with `sql.placeholder` values
 * does it once. But a drizzle prepared statement runs on the connection it was prepared on:
 * made on the service's database, it would run on a pool connection, outside the caller's
 * transaction. One made here runs on the connection of the transaction open in the caller's
 * context (`txHost.tx`), or on the pool when none is, as `txHost.tx.insert(…)` would.
 */
@Injectable()
export class TransactionStatements {
  private readonly db: StatementBuilder;
  private readonly currentConnection = {
    query: (config: QueryConfig, values?: unknown[]): Promise<QueryResult> =>
      connectionOf(this.txHost.tx).query(config, values),
  };

  constructor(@Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost) {
    this.db = drizzle(this.currentConnection as unknown as Pool);
  }

  /**
   * `build` writes the statement with placeholders, e.g.
   * `(db) => db.insert(table).values({ id: sql.placeholder('id') })`; run what this returns
   * with `.execute({ id })`, inside the transaction or not.
   */
  prepare<P>(build: (db: StatementBuilder) => Preparable<P>): P {
    return build(this.db).prepare(UNNAMED);
  }

  /**
   * Runs SQL text written once, its values as `$n` parameters, where `prepare`'s statements run:
   * for a statement drizzle's builders cannot write, such as rows given as one JSON parameter, or
   * one whose text a `write` sends too.
   * Give a jsonb value as its JSON text: pg would send an array as a PostgreSQL array, and a
   * transaction's first statement goes with its BEGIN only when its values are scalars.
   */
  query(text: string, values: unknown[]): Promise<QueryResult> {
    return this.currentConnection.query({ text }, values);
  }

  /**
   * A write as `query` runs it, for a caller that needs no result: inside a transaction it waits
   * for the transaction's next round trip (its next statement, or its COMMIT), one round trip
   * less. Its error, such as a constraint it breaks, arrives with that statement or the commit.
   * Outside a transaction, or with values it cannot inline, it runs at once.
   */
  async write(text: string, values: unknown[]): Promise<void> {
    const connection = connectionOf(this.txHost.tx);
    if (connection instanceof DeferredBeginClient && connection.defer(text, values)) return;
    await connection.query({ text }, values);
  }
}

/**
 * The pg connection a drizzle transaction sends its statements on (the pool for the database
 * itself). drizzle's node-postgres session keeps it in a field its types call private; the
 * integration test of this class fails if a drizzle upgrade moves it.
 */
function connectionOf(tx: Database): NodePgClient {
  const client = (tx._.session as unknown as { client?: NodePgClient }).client;
  if (client === undefined) {
    throw new Error("TransactionStatements: drizzle-orm's session has no pg client in `client`");
  }
  return client;
}
