import { type DatabaseTransactionHost, isDatabaseUnavailable } from '@app/platform';
import { HandlerTransaction, type HandlerOutcome } from '@app/messaging';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { OUTBOX_OPTIONS, type OutboxModuleOptions } from './outbox.options';

/**
 * Exactly-once effects for at-least-once delivery: the inbox row (message id, handler) and the
 * handler's writes commit together. A second delivery of the same message finds the row and is
 * skipped; a concurrent one waits on the row's key until the first commits, then is skipped.
 */
@Injectable()
export class InboxTransaction extends HandlerTransaction {
  constructor(
    @Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxModuleOptions,
  ) {
    super();
  }

  runOnce(
    messageId: string,
    handlerKey: string,
    work: () => Promise<void>,
  ): Promise<HandlerOutcome> {
    const { inbox } = this.options.tables;
    return this.txHost.withTransaction(async () => {
      const recorded = await this.txHost.tx
        .insert(inbox)
        .values({ messageId, handler: handlerKey })
        .onConflictDoNothing()
        .returning({ messageId: inbox.messageId });
      if (recorded.length === 0) return 'duplicate';
      await work();
      return 'processed';
    });
  }

  isUnavailable(error: unknown): boolean {
    return isDatabaseUnavailable(error);
  }
}
