import {
  type DatabaseTransactionHost,
  type PreparedStatement,
  type StatementBuilder,
  TransactionStatements,
} from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { asc, eq, sql } from 'drizzle-orm';
import { type NotificationRow, notifications } from '../db/notification.tables';

export type NewNotification = Pick<
  typeof notifications.$inferInsert,
  'id' | 'orderId' | 'kind' | 'channel'
>;

/** Every notification of every order goes in through this: built once, run per message. */
const insertNotification = (db: StatementBuilder) =>
  db
    .insert(notifications)
    .values({
      id: sql.placeholder('id'),
      orderId: sql.placeholder('orderId'),
      kind: sql.placeholder('kind'),
      channel: sql.placeholder('channel'),
      status: 'PENDING',
    })
    .onConflictDoNothing()
    .returning();

@Injectable()
export class NotificationRepository {
  /** Runs in the consuming handler's transaction, as txHost.tx would. */
  private readonly insertStatement: PreparedStatement<typeof insertNotification>;

  constructor(
    @Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost,
    statements: TransactionStatements,
  ) {
    this.insertStatement = statements.prepare(insertNotification);
  }

  /** Undefined when the same order, kind and channel was already recorded. */
  async insertOnce(notification: NewNotification): Promise<NotificationRow | undefined> {
    const [row] = await this.insertStatement.execute(notification);
    return row;
  }

  async findById(id: string): Promise<NotificationRow | undefined> {
    const [row] = await this.txHost.tx.select().from(notifications).where(eq(notifications.id, id));
    return row;
  }

  async markDelivered(id: string, attempts: number): Promise<void> {
    await this.txHost.tx
      .update(notifications)
      .set({ status: 'DELIVERED', attempts, deliveredAt: sql`now()` })
      .where(eq(notifications.id, id));
  }

  async recordFailedAttempt(id: string, attempts: number, final: boolean): Promise<void> {
    await this.txHost.tx
      .update(notifications)
      .set({ attempts, ...(final ? { status: 'FAILED' as const } : {}) })
      .where(eq(notifications.id, id));
  }

  listByOrder(orderId: string): Promise<NotificationRow[]> {
    return this.txHost.tx
      .select()
      .from(notifications)
      .where(eq(notifications.orderId, orderId))
      .orderBy(asc(notifications.createdAt));
  }
}
