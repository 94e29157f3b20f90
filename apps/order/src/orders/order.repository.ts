import {
  columnPlaceholder,
  type PreparedStatement,
  type StatementBuilder,
  TransactionStatements,
} from '@app/platform';
import { Injectable } from '@nestjs/common';
import { and, eq, sql } from 'drizzle-orm';
import { type OrderRow, type OrderStatus, orders } from '../db/order.tables';

export type NewOrder = Omit<typeof orders.$inferInsert, 'createdAt' | 'updatedAt' | 'cancelReason'>;

const insertOrder = (db: StatementBuilder) =>
  db
    .insert(orders)
    .values({
      id: sql.placeholder('id'),
      customerId: sql.placeholder('customerId'),
      status: sql.placeholder('status'),
      currency: sql.placeholder('currency'),
      total: sql.placeholder('total'),
      items: sql.placeholder('items'),
      paymentDeadlineId: sql.placeholder('paymentDeadlineId'),
    })
    .returning();

const selectOrder = (db: StatementBuilder) =>
  db
    .select()
    .from(orders)
    .where(eq(orders.id, sql.placeholder('id')));

const updateSettled = (db: StatementBuilder) =>
  db
    .update(orders)
    .set({
      status: columnPlaceholder(orders.status, 'status'),
      cancelReason: columnPlaceholder(orders.cancelReason, 'cancelReason'),
      updatedAt: sql`now()`,
    })
    .where(and(eq(orders.id, sql.placeholder('id')), eq(orders.status, 'PENDING')))
    .returning();

/**
 * Order rows, read and written in the caller's transaction when there is one. Every order runs
 * these statements, so they are built once (TransactionStatements).
 */
@Injectable()
export class OrderRepository {
  private readonly insertStatement: PreparedStatement<typeof insertOrder>;
  private readonly selectStatement: PreparedStatement<typeof selectOrder>;
  private readonly settleStatement: PreparedStatement<typeof updateSettled>;

  constructor(statements: TransactionStatements) {
    this.insertStatement = statements.prepare(insertOrder);
    this.selectStatement = statements.prepare(selectOrder);
    this.settleStatement = statements.prepare(updateSettled);
  }

  async insert(order: NewOrder): Promise<OrderRow> {
    // A placeholder needs a value: no deadline is a null, as an omitted column was.
    const [row] = await this.insertStatement.execute({
      ...order,
      paymentDeadlineId: order.paymentDeadlineId ?? null,
    });
    return row;
  }

  async findById(id: string): Promise<OrderRow | undefined> {
    const [row] = await this.selectStatement.execute({ id });
    return row;
  }

  /** Moves a PENDING order to a final status; undefined when it is missing or already final. */
  async settle(id: string, status: Exclude<OrderStatus, 'PENDING'>, cancelReason?: string) {
    const [row] = await this.settleStatement.execute({
      id,
      status,
      cancelReason: cancelReason ?? null,
    });
    return row as OrderRow | undefined;
  }
}
