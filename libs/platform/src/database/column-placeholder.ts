import { type DriverValueEncoder, Param, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * `sql.placeholder(name)` for an update's `set`, which drizzle's types refuse it in (they take it
 * in an insert's values and in conditions). The value is encoded as `set({ [column]: value })`
 * would: by the column (a json column's as JSON text), and null as SQL NULL, which drizzle's
 * own placeholder filling would hand a json column's encoder to become the JSON `null`.
 */
export function columnPlaceholder(column: PgColumn, name: string): SQL {
  const encoder: DriverValueEncoder<unknown, unknown> = {
    mapToDriverValue: (value) => (value === null ? null : column.mapToDriverValue(value)),
  };
  return sql`${new Param(sql.placeholder(name), encoder)}`;
}
