import { NOTIFICATION_KINDS, type NotificationKind } from '@app/contracts';
import { inboxTable } from '@app/inbox';
import { outboxTable } from '@app/outbox';
import { jobRunsTable } from '@app/scheduling';
import { workflowTables } from '@app/workflow';
import { notificationService } from '@app/services';
import { sql } from 'drizzle-orm';
import {
  check,
  date,
  integer,
  jsonb,
  pgSchema,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

export const NOTIFICATIONS_SCHEMA = notificationService.database.schema;
export const notificationsSchema = pgSchema(NOTIFICATIONS_SCHEMA);

export const NOTIFICATION_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

const moment = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One notification per order, kind and channel, so a replayed event cannot notify twice. */
export const notifications = notificationsSchema.table(
  notificationService.database.tables.notifications,
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id').notNull(),
    kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
    channel: text('channel').notNull(),
    status: text('status', { enum: NOTIFICATION_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: moment('created_at').notNull().defaultNow(),
    deliveredAt: moment('delivered_at'),
  },
  (table) => [
    unique('notifications_order_kind_channel_key').on(table.orderId, table.kind, table.channel),
    check('notifications_status_check', sql`${table.status} in ('PENDING', 'DELIVERED', 'FAILED')`),
  ],
);

/**
 * An order's confirmation: sent on every channel of the customer as a group of deliveries, and
 * complete once all of them are delivered (the chord's callback).
 */
export const orderConfirmations = notificationsSchema.table(
  notificationService.database.tables.orderConfirmations,
  {
    orderId: uuid('order_id').primaryKey(),
    /** The chord of its deliveries. */
    workflowId: uuid('workflow_id').notNull(),
    createdAt: moment('created_at').notNull().defaultNow(),
    completedAt: moment('completed_at'),
  },
);

/**
 * One summary per day (UTC) of the notifications recorded that day, by kind, and how many of them
 * failed delivery: what the `daily-summary` periodic job writes each morning.
 */
export const dailySummaries = notificationsSchema.table(
  notificationService.database.tables.dailySummaries,
  {
    day: date('day', { mode: 'string' }).primaryKey(),
    counts: jsonb('counts').$type<Record<NotificationKind, number>>().notNull(),
    failed: integer('failed').notNull(),
    createdAt: moment('created_at').notNull().defaultNow(),
  },
);

export const outbox = outboxTable(notificationsSchema);
export const { workflows, workflowSteps } = workflowTables(notificationsSchema);
export const inbox = inboxTable(notificationsSchema);
export const jobRuns = jobRunsTable(notificationsSchema);

export type NotificationRow = typeof notifications.$inferSelect;
export type OrderConfirmationRow = typeof orderConfirmations.$inferSelect;
export type DailySummaryRow = typeof dailySummaries.$inferSelect;
