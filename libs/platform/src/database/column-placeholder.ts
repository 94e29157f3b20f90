import { Param, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * `sql.placeholder(name)` for an update's `set`, which drizzle's types refuse it in (they take it
 * in an insert's values and in conditions). The value is encoded as the column encodes one, a
 * json column's as JSON text, just as `set({ [column]: value })` would.
 */
export function columnPlaceholder(column: PgColumn, name: string): SQL {
  return sql`${new Param(sql.placeholder(name), column)}`;
}
