import { sql } from 'drizzle-orm';
import { index, integer, jsonb, type PgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const moment = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The outbox table, created in the schema of the service that owns it. A service's table file
 * calls this once and exports the result, so drizzle-kit migrates it with the rest.
 */
export function outboxTable(schema: PgSchema) {
  return schema.table(
    'outbox',
    {
      /** Becomes the AMQP messageId, so a re-published row is recognisably the same message. */
      id: uuid('id').primaryKey(),
      exchange: text('exchange').notNull(),
      routingKey: text('routing_key').notNull(),
      type: text('type').notNull(),
      payload: jsonb('payload').notNull(),
      headers: jsonb('headers').$type<Record<string, string>>().notNull(),
      createdAt: moment('created_at').notNull().defaultNow(),
      sentAt: moment('sent_at'),
      attempts: integer('attempts').notNull().default(0),
      /** When the relay may publish it next: its due time, later after a refused attempt. */
      nextAttemptAt: moment('next_attempt_at').notNull().defaultNow(),
      /** Set for a scheduled message: when it was due. Lateness is measured against it. */
      deliverAt: moment('deliver_at'),
      lastError: text('last_error'),
    },
    (table) => [
      index('outbox_pending_idx')
        .on(table.createdAt)
        .where(sql`sent_at is null`),
      // What the relay claims and the timer for the nearest due row read: rows by due time.
      index('outbox_due_idx')
        .on(table.nextAttemptAt)
        .where(sql`sent_at is null`),
    ],
  );
}

export type OutboxTable = ReturnType<typeof outboxTable>;
export type OutboxRow = OutboxTable['$inferSelect'];
/** What a message is made of in the outbox: what the writer inserts and the relay claims back. */
export type OutboxMessageColumns = Pick<
  OutboxRow,
  'id' | 'exchange' | 'routingKey' | 'type' | 'payload' | 'headers'
>;
