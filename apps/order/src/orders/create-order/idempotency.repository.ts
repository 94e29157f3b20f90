import type { DatabaseTransactionHost } from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { idempotencyKeys } from '../../db/order.tables';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

@Injectable()
export class IdempotencyRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost) {}

  /**
   * Claims `key` for this request, or returns the answer stored under it. A concurrent request
   * with the same key waits on the key's row until the first one commits, then gets its answer.
   */
  async claim(key: string, requestHash: string): Promise<StoredResponse | undefined> {
    const claimed = await this.txHost.tx
      .insert(idempotencyKeys)
      .values({ key, requestHash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length > 0) return undefined;
    const [stored] = await this.txHost.tx
      .select()
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.key, key));
    return {
      requestHash: stored.requestHash,
      status: stored.responseStatus ?? 202,
      body: stored.responseBody,
    };
  }

  async record(key: string, orderId: string, response: { status: number; body: unknown }) {
    await this.txHost.tx
      .update(idempotencyKeys)
      .set({ orderId, responseStatus: response.status, responseBody: response.body })
      .where(eq(idempotencyKeys.key, key));
  }
}
