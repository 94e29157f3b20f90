import { inboxTable } from '@app/inbox';
import { outboxTable } from '@app/outbox';
import { jobRunsTable } from '@app/scheduling';
import { paymentService } from '@app/services';
import { sql } from 'drizzle-orm';
import { bigint, check, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const PAYMENTS_SCHEMA = paymentService.database.schema;
export const paymentsSchema = pgSchema(PAYMENTS_SCHEMA);

export const PAYMENT_STATUSES = ['SUCCEEDED', 'FAILED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** One payment per order: the unique order id is what makes a charge happen once. */
export const payments = paymentsSchema.table(
  paymentService.database.tables.payments,
  {
    id: uuid('id').primaryKey(),
    orderId: uuid('order_id').notNull().unique(),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    reason: text('reason'),
    providerReference: text('provider_reference'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Set when a SUCCEEDED payment was given back (it is then REFUNDED). */
    refundedAt: timestamp('refunded_at', { withTimezone: true, mode: 'date' }),
    refundReference: text('refund_reference'),
  },
  (table) => [
    check('payments_status_check', sql`${table.status} in ('SUCCEEDED', 'FAILED', 'REFUNDED')`),
  ],
);

export const outbox = outboxTable(paymentsSchema);
export const inbox = inboxTable(paymentsSchema);
export const jobRuns = jobRunsTable(paymentsSchema);

export type PaymentRow = typeof payments.$inferSelect;
