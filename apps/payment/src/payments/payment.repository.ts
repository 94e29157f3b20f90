import type { DatabaseTransactionHost } from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, sql } from 'drizzle-orm';
import { type PaymentRow, payments } from '../db/payment.tables';

export type NewPayment = Omit<typeof payments.$inferInsert, 'createdAt'>;

@Injectable()
export class PaymentRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost) {}

  /** The new payment, or undefined when the order already has one (nothing is written). */
  async insertUnlessPaid(payment: NewPayment): Promise<PaymentRow | undefined> {
    const [row] = await this.txHost.tx
      .insert(payments)
      .values(payment)
      .onConflictDoNothing({ target: payments.orderId })
      .returning();
    return row;
  }

  async findById(id: string): Promise<PaymentRow | undefined> {
    const [row] = await this.txHost.tx.select().from(payments).where(eq(payments.id, id));
    return row;
  }

  /** SUCCEEDED → REFUNDED; undefined when it is not (or no longer) SUCCEEDED. */
  async markRefunded(id: string, refundReference: string): Promise<PaymentRow | undefined> {
    const [row] = await this.txHost.tx
      .update(payments)
      .set({ status: 'REFUNDED', refundedAt: sql`now()`, refundReference })
      .where(and(eq(payments.id, id), eq(payments.status, 'SUCCEEDED')))
      .returning();
    return row;
  }

  async findByOrder(orderId: string): Promise<PaymentRow | undefined> {
    const [row] = await this.txHost.tx.select().from(payments).where(eq(payments.orderId, orderId));
    return row;
  }

  listByOrder(orderId: string): Promise<PaymentRow[]> {
    return this.txHost.tx
      .select()
      .from(payments)
      .where(eq(payments.orderId, orderId))
      .orderBy(asc(payments.createdAt));
  }
}
