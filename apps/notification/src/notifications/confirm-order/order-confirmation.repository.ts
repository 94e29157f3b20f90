import {
  type DatabaseTransactionHost,
  type PreparedStatement,
  type StatementBuilder,
  TransactionStatements,
} from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { type OrderConfirmationRow, orderConfirmations } from '../../db/notification.tables';

const insertConfirmation = (db: StatementBuilder) =>
  db.insert(orderConfirmations).values({
    orderId: sql.placeholder('orderId'),
    workflowId: sql.placeholder('workflowId'),
  });

const updateComplete = (db: StatementBuilder) =>
  db
    .update(orderConfirmations)
    .set({ completedAt: sql`now()` })
    .where(
      and(
        eq(orderConfirmations.orderId, sql.placeholder('orderId')),
        isNull(orderConfirmations.completedAt),
      ),
    )
    .returning();

/** Every order's confirmation: the two statements built once, run in the handler's transaction. */
@Injectable()
export class OrderConfirmationRepository {
  private readonly insertStatement: PreparedStatement<typeof insertConfirmation>;
  private readonly completeStatement: PreparedStatement<typeof updateComplete>;

  constructor(
    @Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost,
    statements: TransactionStatements,
  ) {
    this.insertStatement = statements.prepare(insertConfirmation);
    this.completeStatement = statements.prepare(updateComplete);
  }

  async insert(orderId: string, workflowId: string): Promise<void> {
    await this.insertStatement.execute({ orderId, workflowId });
  }

  /** Sets it complete, once: undefined when there is no such confirmation or it already was. */
  async markComplete(orderId: string): Promise<OrderConfirmationRow | undefined> {
    const [row] = await this.completeStatement.execute({ orderId });
    return row;
  }

  /** Read only when markComplete changed nothing, so built when it runs. */
  async find(orderId: string): Promise<OrderConfirmationRow | undefined> {
    const [row] = await this.txHost.tx
      .select()
      .from(orderConfirmations)
      .where(eq(orderConfirmations.orderId, orderId));
    return row;
  }
}
