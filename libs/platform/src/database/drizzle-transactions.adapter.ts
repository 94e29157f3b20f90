import type { TransactionalAdapter } from '@nestjs-cls/transactional';
import { TransactionalAdapterDrizzleOrm } from '@nestjs-cls/transactional-adapter-drizzle-orm';
import { NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres';
import { PgDialect, type PgTransactionConfig } from 'drizzle-orm/pg-core';
import type { Pool, PoolClient, QueryResult } from 'pg';
import { DRIZZLE, type Database } from './database.tokens';

/**
 * A statement sent in the same round trip as BEGIN, e.g. the inbox row a handler's effects
 * commit with. Simple-protocol SQL: literals must come escaped (pg's `escapeLiteral`).
 */
export interface TransactionPrelude {
  sql: string;
  onResult: (result: QueryResult) => void;
}

export type TransactionOptions = PgTransactionConfig & { prelude?: TransactionPrelude };

/**
 * The drizzle adapter of @nestjs-cls/transactional, plus one thing: a transaction may open with
 * a prelude statement, sent together with BEGIN. A message handler's transaction starts with
 * its inbox row, so this saves one round trip per message; everything else is unchanged.
 */
export class DrizzleTransactionsAdapter implements TransactionalAdapter<
  Database,
  Database,
  TransactionOptions
> {
  readonly connectionToken = DRIZZLE;
  private readonly standard = new TransactionalAdapterDrizzleOrm<Database>({
    drizzleInstanceToken: DRIZZLE,
  });
  private readonly dialect = new PgDialect();

  optionsFactory = (db: Database) => {
    const standard = this.standard.optionsFactory(db);
    return {
      wrapWithTransaction: (
        options: TransactionOptions | undefined,
        fn: () => Promise<unknown>,
        setTx: (tx?: Database) => void,
      ) =>
        options?.prelude
          ? this.withPrelude(db.$client, options.prelude, fn, setTx)
          : standard.wrapWithTransaction(options ?? {}, fn, setTx),
      wrapWithNestedTransaction: standard.wrapWithNestedTransaction,
      getFallbackInstance: () => db,
    };
  };

  private async withPrelude(
    pool: Pool,
    prelude: TransactionPrelude,
    fn: () => Promise<unknown>,
    setTx: (tx?: Database) => void,
  ): Promise<unknown> {
    const client: PoolClient = await pool.connect();
    let broken = false;
    try {
      const results = (await client.query(`begin; ${prelude.sql}`)) as unknown as QueryResult[];
      prelude.onResult(results[results.length - 1]);
      // Typed as the database, as the standard adapter types its transactions too.
      const session = new NodePgSession(client, this.dialect, undefined);
      setTx(new NodePgTransaction(this.dialect, session, undefined) as unknown as Database);
      const result = await fn();
      await client.query('commit');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is not handed out again.
      await client.query('rollback').catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
