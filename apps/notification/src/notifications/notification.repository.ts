import {
  columnPlaceholder,
  type DatabaseTransactionHost,
  type PreparedStatement,
  type StatementBuilder,
  TransactionStatements,
} from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { type NotificationRow, notifications } from '../db/notification.tables';

export type NewNotification = Pick<
  typeof notifications.$inferInsert,
  'id' | 'orderId' | 'kind' | 'channel'
>;

/**
 * Every notification of every order goes in through this, one or several of an order in one
 * statement (a row per channel of its confirmation): built once per number of rows, their values
 * numbered `id0`, `orderId0`, ….
 */
const insertNotifications = (count: number) => (db: StatementBuilder) =>
  db
    .insert(notifications)
    .values(
      Array.from({ length: count }, (_, index) => ({
        id: sql.placeholder(`id${index}`),
        orderId: sql.placeholder(`orderId${index}`),
        kind: sql.placeholder(`kind${index}`),
        channel: sql.placeholder(`channel${index}`),
        status: 'PENDING' as const,
      })),
    )
    .onConflictDoNothing()
    .returning();

/** A delivery job reads its notification only when marking it changed nothing (delivered before). */
const selectNotification = (db: StatementBuilder) =>
  db
    .select()
    .from(notifications)
    .where(eq(notifications.id, sql.placeholder('id')));

/**
 * Each attempt counts one more than recorded, or the job's own attempt number when that is more
 * (a failed attempt's record is lost when the database is): a job replayed from its DLQ starts its
 * own count over, and the notification's must go on.
 */
const nextAttempts = sql`greatest(${notifications.attempts} + 1, ${columnPlaceholder(notifications.attempts, 'attempts')})`;

/** Only a notification not yet DELIVERED; the update locks it until the transaction ends. */
const updateDelivered = (db: StatementBuilder) =>
  db
    .update(notifications)
    .set({
      status: 'DELIVERED',
      attempts: nextAttempts,
      deliveredAt: sql`now()`,
    })
    .where(and(eq(notifications.id, sql.placeholder('id')), ne(notifications.status, 'DELIVERED')))
    .returning();

/**
 * A failed attempt's record is written after its transaction rolled back, so a copy of the job
 * may have delivered the notification meanwhile: a DELIVERED one is left as it is.
 */
const notDelivered = and(
  eq(notifications.id, sql.placeholder('id')),
  ne(notifications.status, 'DELIVERED'),
);

/** A failed attempt leaves the status as it is: the job may be retried. */
const updateAttempts = (db: StatementBuilder) =>
  db.update(notifications).set({ attempts: nextAttempts }).where(notDelivered);

/** Its job was dead-lettered; `returning` tells a notification marked from one left as it was. */
const updateFailed = (db: StatementBuilder) =>
  db
    .update(notifications)
    .set({ status: 'FAILED' })
    .where(notDelivered)
    .returning({ attempts: notifications.attempts });

@Injectable()
export class NotificationRepository {
  // Each runs in the consuming handler's transaction, as txHost.tx would.
  private readonly selectStatement: PreparedStatement<typeof selectNotification>;
  private readonly deliveredStatement: PreparedStatement<typeof updateDelivered>;
  private readonly attemptsStatement: PreparedStatement<typeof updateAttempts>;
  private readonly failedStatement: PreparedStatement<typeof updateFailed>;
  private readonly insertStatements = new Map<
    number,
    PreparedStatement<ReturnType<typeof insertNotifications>>
  >();

  constructor(
    @Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost,
    private readonly statements: TransactionStatements,
  ) {
    this.selectStatement = statements.prepare(selectNotification);
    this.deliveredStatement = statements.prepare(updateDelivered);
    this.attemptsStatement = statements.prepare(updateAttempts);
    this.failedStatement = statements.prepare(updateFailed);
  }

  /** The ones inserted; one already recorded (same order, kind and channel) is left out. */
  async insertEachOnce(list: readonly NewNotification[]): Promise<NotificationRow[]> {
    let statement = this.insertStatements.get(list.length);
    if (!statement) {
      statement = this.statements.prepare(insertNotifications(list.length));
      this.insertStatements.set(list.length, statement);
    }
    const values: Record<string, unknown> = {};
    list.forEach((notification, index) => {
      for (const [field, value] of Object.entries(notification)) values[`${field}${index}`] = value;
    });
    return statement.execute(values);
  }

  async findById(id: string): Promise<NotificationRow | undefined> {
    const [row] = await this.selectStatement.execute({ id });
    return row;
  }

  /**
   * Marks a notification DELIVERED at the job's attempt `attempts` and returns it, as it will be
   * once delivered; undefined when it is missing or was DELIVERED already.
   */
  async markDelivered(id: string, attempts: number): Promise<NotificationRow | undefined> {
    const [row] = await this.deliveredStatement.execute({ id, attempts });
    return row;
  }

  async recordFailedAttempt(id: string, attempts: number): Promise<void> {
    await this.attemptsStatement.execute({ id, attempts });
  }

  /**
   * Marks a notification not DELIVERED as FAILED; returns its recorded attempts, or undefined
   * when it is missing or DELIVERED.
   */
  async markFailed(id: string): Promise<{ attempts: number } | undefined> {
    const [row] = await this.failedStatement.execute({ id });
    return row;
  }

  listByOrder(orderId: string): Promise<NotificationRow[]> {
    return (
      this.txHost.tx
        .select()
        .from(notifications)
        .where(eq(notifications.orderId, orderId))
        // Rows inserted by one statement share their createdAt: the id keeps their order stable.
        .orderBy(asc(notifications.createdAt), asc(notifications.id))
    );
  }
}
