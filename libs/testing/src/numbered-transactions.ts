import { runCommitHooks, runRollbackHooks, trackHooks } from '@app/platform';
import { ClsPluginTransactional, type TransactionalAdapter } from '@nestjs-cls/transactional';
import type { DynamicModule } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';

/** What `txHost.tx` is under numberedTransactionsModule: 0 outside any transaction. */
export interface NumberedTransaction {
  number: number;
}

/**
 * For unit tests: the real CLS TransactionHost over a fake adapter that numbers the
 * transactions it opens. No database, yet `@Transactional()` and `withTransaction` run for real,
 * `txHost.tx.number` tells which transaction a write ran in, a transaction whose work throws
 * runs its `afterRollback` hooks before the error goes on, and one whose work succeeds runs its
 * `afterCommit` hooks.
 */
export function numberedTransactionsModule(): DynamicModule {
  let opened = 0;
  const adapter: TransactionalAdapter<NumberedTransaction, NumberedTransaction, object> = {
    connection: { number: 0 },
    optionsFactory: (connection) => ({
      wrapWithTransaction: async (_options, work, setTx) => {
        const tx = { number: ++opened };
        const hooks = trackHooks(tx);
        setTx(tx);
        let result: unknown;
        try {
          result = await work();
        } catch (error) {
          await runRollbackHooks(hooks);
          throw error;
        }
        runCommitHooks(hooks);
        return result;
      },
      getFallbackInstance: () => connection,
    }),
  };
  return ClsModule.forRoot({ global: true, plugins: [new ClsPluginTransactional({ adapter })] });
}
