import type { InboxTable } from './inbox.table';

export const INBOX_OPTIONS = Symbol('INBOX_OPTIONS');

export interface InboxModuleOptions {
  /** The service's inbox table (inboxTable(schema) in its table file). */
  table: InboxTable;
}
