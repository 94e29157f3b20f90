import type { OutboxTable } from './outbox.table';

export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

export interface OutboxModuleOptions {
  /** The service's outbox table (outboxTable(schema) in its table file). */
  table: OutboxTable;
  /** The owning schema. */
  schema: string;
  /** Rows claimed per relay transaction. */
  batchSize?: number;
  /** How often the relay looks for rows when no notification arrives (fallback polling). */
  pollIntervalMs?: number;
}
