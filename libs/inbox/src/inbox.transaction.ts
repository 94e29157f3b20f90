import {
  DatabasePing,
  type DatabaseTransactionHost,
  isDatabaseUnavailable,
  isUnavailableAnswer,
  permanentDatabaseError,
  qualifiedTableName,
} from '@app/platform';
import { type HandlerOutcome, type InboxEntry, HandlerTransaction } from '@app/messaging';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { and, eq } from 'drizzle-orm';
import type { QueryResult } from 'pg';
import { INBOX_OPTIONS, type InboxModuleOptions } from './inbox.options';

/**
 * Exactly-once effects for at-least-once delivery: the inbox row (message id, handler) and the
 * handler's writes commit together. A second delivery of the same message finds the row and is
 * skipped; a concurrent one waits on the row's key until the first commits, then is skipped.
 */
@Injectable()
export class InboxTransaction extends HandlerTransaction {
  /** The inbox row's insert into `"schema"."inbox"`, written once. */
  private readonly insertRow: string;

  constructor(
    @Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost,
    @Inject(INBOX_OPTIONS) private readonly options: InboxModuleOptions,
    private readonly ping: DatabasePing,
  ) {
    super();
    this.insertRow =
      `insert into ${qualifiedTableName(options.table)} (message_id, handler, body_hash) ` +
      'values ($1, $2, $3) on conflict do nothing returning 1';
  }

  async runOnce(entry: InboxEntry, work: () => Promise<void>): Promise<HandlerOutcome> {
    let recorded = false;
    const { messageId, handlerKey, bodyHash } = entry;
    // The inbox row goes in the same round trip as BEGIN (see DrizzleTransactionsAdapter).
    const prelude = {
      text: this.insertRow,
      values: [messageId, handlerKey, bodyHash],
      onResult: (result: QueryResult) => (recorded = result.rowCount === 1),
    };
    return this.txHost.withTransaction({ prelude }, async (): Promise<HandlerOutcome> => {
      if (!recorded) return { kind: 'duplicate', storedBodyHash: await this.storedHash(entry) };
      await work();
      return { kind: 'processed' };
    });
  }

  /** Read only for a duplicate; a statement of its own sees the row a concurrent copy committed. */
  private async storedHash({ messageId, handlerKey }: InboxEntry): Promise<string | undefined> {
    const inbox = this.options.table;
    const [row] = await this.txHost.tx
      .select({ bodyHash: inbox.bodyHash })
      .from(inbox)
      .where(and(eq(inbox.messageId, messageId), eq(inbox.handler, handlerKey)));
    return row?.bodyHash ?? undefined;
  }

  /**
   * An error that reads as an unreachable database: one the database or its pooler answered (a
   * SQLSTATE of class 08, a shutdown), or a refused or reset connection while the database does
   * not answer. A handler's other calls fail the same way (a payment provider or a mail server
   * refusing the connection): those are the handler's failures, retried and dead-lettered as any,
   * not an outage to wait out without end.
   */
  async isUnavailable(error: unknown): Promise<boolean> {
    if (!isDatabaseUnavailable(error)) return false;
    if (isUnavailableAnswer(error)) return true;
    try {
      await this.ping.answers();
      return false;
    } catch {
      return true;
    }
  }

  permanentFailure(error: unknown): string | undefined {
    const problem = permanentDatabaseError(error);
    return problem && `a database error no retry can get past (${problem})`;
  }
}
