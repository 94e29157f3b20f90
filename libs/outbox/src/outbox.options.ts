import type { OutboxTable } from './outbox.table';

export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

export interface OutboxModuleOptions {
  /** The service's outbox table (outboxTable(schema) in its table file). */
  table: OutboxTable;
  /** The owning schema; names the LISTEN/NOTIFY channel, so each service wakes its own relay. */
  schema: string;
  /** Rows claimed per relay transaction. */
  batchSize?: number;
  /** How often the relay looks for rows when no notification arrives (fallback polling). */
  pollIntervalMs?: number;
}

export const notifyChannelOf = (schema: string): string => `outbox_${schema}`;
