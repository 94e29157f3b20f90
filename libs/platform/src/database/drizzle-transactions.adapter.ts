import type { TransactionalAdapter } from '@nestjs-cls/transactional';
import { TransactionalAdapterDrizzleOrm } from '@nestjs-cls/transactional-adapter-drizzle-orm';
import { NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres';
import { PgDialect, type PgTransactionConfig } from 'drizzle-orm/pg-core';
import type { Pool, PoolClient, QueryResult } from 'pg';
import {
  hooksOf,
  runCommitHooks,
  runRollbackHooks,
  trackHooks,
  type TransactionHooks,
} from './after-commit';
import { DRIZZLE, type Database } from './database.tokens';
import { DeferredBeginClient } from './deferred-begin.client';

/**
 * The statement a transaction opens with, e.g. the inbox row a handler's effects commit with: it
 * goes with BEGIN, its values inlined, as any first statement does (see DeferredBeginClient).
 */
export interface TransactionPrelude {
  text: string;
  values: unknown[];
  onResult: (result: QueryResult) => void;
}

export type TransactionOptions = PgTransactionConfig & { prelude?: TransactionPrelude };

/**
 * The drizzle adapter of @nestjs-cls/transactional, with BEGIN sent together with the
 * transaction's first statement (see DeferredBeginClient), one round trip less per transaction.
 * A transaction may name that statement itself, a prelude: a message handler's transaction
 * opens with its inbox row. Hooks registered with `afterCommit` run once the COMMIT is done,
 * those registered with `afterRollback` once the ROLLBACK is done; both once the connection is
 * back in the pool, for a hook that opens a transaction of its own.
 * Savepoints (nested transactions) are the standard adapter's.
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
      ) => this.transaction(db.$client, options ?? {}, fn, setTx),
      wrapWithNestedTransaction: (
        options: TransactionOptions | undefined,
        fn: () => Promise<unknown>,
        setTx: (tx?: Database) => void,
        outer: Database,
      ) =>
        // What is written in a savepoint is committed (or not) with the outer transaction.
        standard.wrapWithNestedTransaction(
          options ?? {},
          fn,
          (tx) => {
            if (tx) trackHooks(tx, hooksOf(outer));
            setTx(tx);
          },
          outer,
        ),
      getFallbackInstance: () => db,
    };
  };

  private async transaction(
    pool: Pool,
    { prelude, ...config }: TransactionOptions,
    fn: () => Promise<unknown>,
    setTx: (tx?: Database) => void,
  ): Promise<unknown> {
    const connection: PoolClient = await pool.connect();
    const client = new DeferredBeginClient(connection, config);
    const hooks: TransactionHooks = { committed: [], rolledBack: [] };
    let result: unknown;
    try {
      if (prelude) prelude.onResult(await client.query(prelude.text, prelude.values));
      // drizzle's session only calls `query`; typed as the database, as the standard adapter
      // types its transactions too.
      const session = new NodePgSession(client as unknown as PoolClient, this.dialect, undefined);
      const tx = new NodePgTransaction(this.dialect, session, undefined);
      trackHooks(tx, hooks);
      setTx(tx as unknown as Database);
      result = await fn();
      await client.commit();
    } catch (error) {
      // A connection that cannot even roll back is not handed out again.
      const broken = await client.rollback().then(
        () => false,
        () => true,
      );
      connection.release(broken);
      // Released first: a hook's own transaction must not wait for this one's connection.
      await runRollbackHooks(hooks);
      throw error;
    }
    connection.release();
    runCommitHooks(hooks);
    return result;
  }
}
