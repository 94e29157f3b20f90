import {
  columnPlaceholder,
  type DatabaseTransactionHost,
  type PreparedStatement,
  type StatementBuilder,
  TransactionStatements,
} from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, sql } from 'drizzle-orm';
import { type PaymentRow, payments } from '../db/payment.tables';

/** What a charge writes: a payment is refunded later, by markRefunded. */
export type NewPayment = Omit<
  typeof payments.$inferInsert,
  'createdAt' | 'refundedAt' | 'refundReference'
>;

const insertPayment = (db: StatementBuilder) =>
  db
    .insert(payments)
    .values({
      id: sql.placeholder('id'),
      orderId: sql.placeholder('orderId'),
      status: sql.placeholder('status'),
      amount: sql.placeholder('amount'),
      currency: sql.placeholder('currency'),
      reason: sql.placeholder('reason'),
      providerReference: sql.placeholder('providerReference'),
    })
    .onConflictDoNothing({ target: payments.orderId })
    .returning();

const selectPayment = (db: StatementBuilder) =>
  db
    .select()
    .from(payments)
    .where(eq(payments.id, sql.placeholder('id')));

const updateRefunded = (db: StatementBuilder) =>
  db
    .update(payments)
    .set({
      status: 'REFUNDED',
      refundedAt: sql`now()`,
      refundReference: columnPlaceholder(payments.refundReference, 'refundReference'),
    })
    .where(and(eq(payments.id, sql.placeholder('id')), eq(payments.status, 'SUCCEEDED')))
    .returning();

/**
 * Payment rows, in the caller's transaction when there is one. What the message handlers run
 * (a charge, a refund) is built once (TransactionStatements); the HTTP and RPC reads are not.
 */
@Injectable()
export class PaymentRepository {
  private readonly insertStatement: PreparedStatement<typeof insertPayment>;
  private readonly selectStatement: PreparedStatement<typeof selectPayment>;
  private readonly refundStatement: PreparedStatement<typeof updateRefunded>;

  constructor(
    @Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost,
    statements: TransactionStatements,
  ) {
    this.insertStatement = statements.prepare(insertPayment);
    this.selectStatement = statements.prepare(selectPayment);
    this.refundStatement = statements.prepare(updateRefunded);
  }

  /** The new payment, or undefined when the order already has one (nothing is written). */
  async insertUnlessPaid(payment: NewPayment): Promise<PaymentRow | undefined> {
    // A placeholder needs a value: an absent one is a null, as an omitted column was.
    const [row] = await this.insertStatement.execute({
      ...payment,
      reason: payment.reason ?? null,
      providerReference: payment.providerReference ?? null,
    });
    return row;
  }

  async findById(id: string): Promise<PaymentRow | undefined> {
    const [row] = await this.selectStatement.execute({ id });
    return row;
  }

  /** SUCCEEDED → REFUNDED; undefined when it is not (or no longer) SUCCEEDED. */
  async markRefunded(id: string, refundReference: string): Promise<PaymentRow | undefined> {
    const [row] = await this.refundStatement.execute({ id, refundReference });
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
