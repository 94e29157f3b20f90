import type { DatabaseTransactionHost } from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { and, eq, sql } from 'drizzle-orm';
import { type OrderRow, type OrderStatus, orders } from '../db/order.tables';

export type NewOrder = Omit<typeof orders.$inferInsert, 'createdAt' | 'updatedAt' | 'cancelReason'>;

/** Order rows, read and written in the caller's transaction when there is one. */
@Injectable()
export class OrderRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost) {}

  async insert(order: NewOrder): Promise<OrderRow> {
    const [row] = await this.txHost.tx.insert(orders).values(order).returning();
    return row;
  }

  async findById(id: string): Promise<OrderRow | undefined> {
    const [row] = await this.txHost.tx.select().from(orders).where(eq(orders.id, id));
    return row;
  }

  /** Moves a PENDING order to a final status; undefined when it is missing or already final. */
  async settle(id: string, status: Exclude<OrderStatus, 'PENDING'>, cancelReason?: string) {
    const [row] = await this.txHost.tx
      .update(orders)
      .set({ status, cancelReason: cancelReason ?? null, updatedAt: sql`now()` })
      .where(and(eq(orders.id, id), eq(orders.status, 'PENDING')))
      .returning();
    return row as OrderRow | undefined;
  }
}
