import type { OrderItem } from '@app/contracts';
import { inboxTable } from '@app/inbox';
import { outboxTable } from '@app/outbox';
import { jobRunsTable } from '@app/scheduling';
import { orderService } from '@app/services';
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  json,
  jsonb,
  pgSchema,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

export const ORDERS_SCHEMA = orderService.database.schema;
export const ordersSchema = pgSchema(ORDERS_SCHEMA);

export const ORDER_STATUSES = ['PENDING', 'PAID', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const moment = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const orders = ordersSchema.table(
  orderService.database.tables.orders,
  {
    id: uuid('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    currency: text('currency').notNull(),
    total: bigint('total', { mode: 'number' }).notNull(),
    items: jsonb('items').$type<OrderItem[]>().notNull(),
    cancelReason: text('cancel_reason'),
    /**
     * The outbox id of the order's payment deadline (a scheduled message to itself): a payment
     * result that settles the order first cancels it in the same transaction.
     */
    paymentDeadlineId: uuid('payment_deadline_id'),
    createdAt: moment('created_at').notNull().defaultNow(),
    updatedAt: moment('updated_at').notNull().defaultNow(),
  },
  (table) => [
    check('orders_status_check', sql`${table.status} in ('PENDING', 'PAID', 'CANCELLED')`),
  ],
);

/**
 * The first answer given to an Idempotency-Key, replayed for a repeat of the same request. `json`
 * (not `jsonb`) keeps the body byte for byte, key order included. Kept
 * IDEMPOTENCY_KEY_RETENTION_HOURS after it was first used (`prune-idempotency-keys`).
 */
export const idempotencyKeys = ordersSchema.table(
  orderService.database.tables.idempotencyKeys,
  {
    key: text('key').primaryKey(),
    requestHash: text('request_hash').notNull(),
    orderId: uuid('order_id'),
    responseStatus: integer('response_status'),
    responseBody: json('response_body'),
    createdAt: moment('created_at').notNull().defaultNow(),
  },
  (table) => [index('idempotency_keys_created_at_idx').on(table.createdAt)],
);

export const outbox = outboxTable(ordersSchema);
export const inbox = inboxTable(ordersSchema);
export const jobRuns = jobRunsTable(ordersSchema);

export type OrderRow = typeof orders.$inferSelect;
