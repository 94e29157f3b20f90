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
 * and `txHost.tx.number` tells which transaction a write ran in.
 */
export function numberedTransactionsModule(): DynamicModule {
  let opened = 0;
  const adapter: TransactionalAdapter<NumberedTransaction, NumberedTransaction, object> = {
    connection: { number: 0 },
    optionsFactory: (connection) => ({
      wrapWithTransaction: (_options, work, setTx) => {
        setTx({ number: ++opened });
        return work();
      },
      getFallbackInstance: () => connection,
    }),
  };
  return ClsModule.forRoot({ global: true, plugins: [new ClsPluginTransactional({ adapter })] });
}
