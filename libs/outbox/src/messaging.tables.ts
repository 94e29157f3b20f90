import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  type PgSchema,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const moment = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The outbox and inbox tables, created in the schema of the service that owns them. A service's
 * table file calls this once and exports the result, so drizzle-kit migrates them with the rest.
 */
export function messagingTables(schema: PgSchema) {
  const outbox = schema.table(
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
      nextAttemptAt: moment('next_attempt_at').notNull().defaultNow(),
      lastError: text('last_error'),
    },
    (table) => [
      index('outbox_pending_idx')
        .on(table.createdAt)
        .where(sql`sent_at is null`),
    ],
  );

  const inbox = schema.table(
    'inbox',
    {
      messageId: text('message_id').notNull(),
      handler: text('handler').notNull(),
      /** sha256 of the body: a later message reusing the id with another body is reported. */
      bodyHash: text('body_hash'),
      processedAt: moment('processed_at').notNull().defaultNow(),
    },
    (table) => [
      primaryKey({ columns: [table.messageId, table.handler] }),
      index('inbox_processed_at_idx').on(table.processedAt),
    ],
  );

  return { outbox, inbox };
}

export type MessagingTables = ReturnType<typeof messagingTables>;
export type OutboxRow = MessagingTables['outbox']['$inferSelect'];
