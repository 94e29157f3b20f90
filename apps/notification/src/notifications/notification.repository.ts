import type { DatabaseTransactionHost } from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { asc, eq, sql } from 'drizzle-orm';
import { type NotificationRow, notifications } from '../db/notification.tables';

export type NewNotification = Pick<
  typeof notifications.$inferInsert,
  'id' | 'orderId' | 'kind' | 'channel'
>;

@Injectable()
export class NotificationRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost) {}

  /** Undefined when the same order, kind and channel was already recorded. */
  async insertOnce(notification: NewNotification): Promise<NotificationRow | undefined> {
    const [row] = await this.txHost.tx
      .insert(notifications)
      .values({ ...notification, status: 'PENDING' })
      .onConflictDoNothing()
      .returning();
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
