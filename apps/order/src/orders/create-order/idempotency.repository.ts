import {
  columnPlaceholder,
  type DatabaseTransactionHost,
  type PreparedStatement,
  type StatementBuilder,
  TransactionStatements,
} from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';
import { idempotencyKeys } from '../../db/order.tables';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

const insertKey = (db: StatementBuilder) =>
  db
    .insert(idempotencyKeys)
    .values({ key: sql.placeholder('key'), requestHash: sql.placeholder('requestHash') })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });

const updateResponse = (db: StatementBuilder) =>
  db
    .update(idempotencyKeys)
    .set({
      orderId: columnPlaceholder(idempotencyKeys.orderId, 'orderId'),
      responseStatus: columnPlaceholder(idempotencyKeys.responseStatus, 'responseStatus'),
      responseBody: columnPlaceholder(idempotencyKeys.responseBody, 'responseBody'),
    })
    .where(eq(idempotencyKeys.key, sql.placeholder('key')));

/**
 * Every order placed with a key claims it and records its answer: those two statements are built
 * once (TransactionStatements) and run in the caller's transaction.
 */
@Injectable()
export class IdempotencyRepository {
  private readonly claimStatement: PreparedStatement<typeof insertKey>;
  private readonly recordStatement: PreparedStatement<typeof updateResponse>;

  constructor(
    @Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost,
    statements: TransactionStatements,
  ) {
    this.claimStatement = statements.prepare(insertKey);
    this.recordStatement = statements.prepare(updateResponse);
  }

  /**
   * Claims `key` for this request, or returns the answer stored under it. A concurrent request
   * with the same key waits on the key's row until the first one commits, then gets its answer.
   */
  async claim(key: string, requestHash: string): Promise<StoredResponse | undefined> {
    const claimed = await this.claimStatement.execute({ key, requestHash });
    if (claimed.length > 0) return undefined;
    // Only a repeated key gets here: built when it runs.
    const [stored] = await this.txHost.tx
      .select()
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.key, key));
    // Pruned (past its retention) between the two statements: the key is free again.
    if (!stored) return this.claim(key, requestHash);
    return {
      requestHash: stored.requestHash,
      status: stored.responseStatus ?? 202,
      body: stored.responseBody,
    };
  }

  async record(key: string, orderId: string, response: { status: number; body: unknown }) {
    await this.recordStatement.execute({
      key,
      orderId,
      responseStatus: response.status,
      responseBody: response.body,
    });
  }
}
