import type { DatabaseTransactionHost } from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { type OrderConfirmationRow, orderConfirmations } from '../../db/notification.tables';

@Injectable()
export class OrderConfirmationRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost) {}

  async insert(orderId: string, workflowId: string): Promise<void> {
    await this.txHost.tx.insert(orderConfirmations).values({ orderId, workflowId });
  }

  /** Sets it complete, once: undefined when there is no such confirmation or it already was. */
  async markComplete(orderId: string): Promise<OrderConfirmationRow | undefined> {
    const [row] = await this.txHost.tx
      .update(orderConfirmations)
      .set({ completedAt: sql`now()` })
      .where(and(eq(orderConfirmations.orderId, orderId), isNull(orderConfirmations.completedAt)))
      .returning();
    return row;
  }

  async find(orderId: string): Promise<OrderConfirmationRow | undefined> {
    const [row] = await this.txHost.tx
      .select()
      .from(orderConfirmations)
      .where(eq(orderConfirmations.orderId, orderId));
    return row;
  }
}
