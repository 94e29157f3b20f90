import { index, type PgSchema, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The inbox table: one row per message a handler slot has handled, created in the schema of the
 * service that owns it. A service's table file calls this once and exports the result, so
 * drizzle-kit migrates it with the rest.
 */
export function inboxTable(schema: PgSchema) {
  return schema.table(
    'inbox',
    {
      messageId: text('message_id').notNull(),
      handler: text('handler').notNull(),
      /** sha256 of the body: a later message reusing the id with another body is reported. */
      bodyHash: text('body_hash'),
      processedAt: timestamp('processed_at', { withTimezone: true, mode: 'date' })
        .notNull()
        .defaultNow(),
    },
    (table) => [
      primaryKey({ columns: [table.messageId, table.handler] }),
      index('inbox_processed_at_idx').on(table.processedAt),
    ],
  );
}

export type InboxTable = ReturnType<typeof inboxTable>;
