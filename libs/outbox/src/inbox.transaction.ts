import { type DatabaseTransactionHost, isDatabaseUnavailable } from '@app/platform';
import { HandlerTransaction, type HandlerOutcome } from '@app/messaging';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { escapeIdentifier, escapeLiteral, type QueryResult } from 'pg';
import { OUTBOX_OPTIONS, type OutboxModuleOptions } from './outbox.options';

/**
 * Exactly-once effects for at-least-once delivery: the inbox row (message id, handler) and the
 * handler's writes commit together. A second delivery of the same message finds the row and is
 * skipped; a concurrent one waits on the row's key until the first commits, then is skipped.
 */
@Injectable()
export class InboxTransaction extends HandlerTransaction {
  /** `"schema"."inbox"`, quoted once. */
  private readonly inboxTable: string;

  constructor(
    @Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost,
    @Inject(OUTBOX_OPTIONS) options: OutboxModuleOptions,
  ) {
    super();
    const { name, schema } = getTableConfig(options.tables.inbox);
    this.inboxTable = `${escapeIdentifier(schema ?? 'public')}.${escapeIdentifier(name)}`;
  }

  async runOnce(
    messageId: string,
    handlerKey: string,
    work: () => Promise<void>,
  ): Promise<HandlerOutcome> {
    let recorded = false;
    // The inbox row goes in the same round trip as BEGIN (see DrizzleTransactionsAdapter).
    const prelude = {
      sql:
        `insert into ${this.inboxTable} (message_id, handler) ` +
        `values (${escapeLiteral(messageId)}, ${escapeLiteral(handlerKey)}) ` +
        'on conflict do nothing returning 1',
      onResult: (result: QueryResult) => (recorded = result.rowCount === 1),
    };
    return this.txHost.withTransaction({ prelude }, async () => {
      if (!recorded) return 'duplicate';
      await work();
      return 'processed';
    });
  }

  isUnavailable(error: unknown): boolean {
    return isDatabaseUnavailable(error);
  }
}
