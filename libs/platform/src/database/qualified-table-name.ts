import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { escapeIdentifier } from 'pg';

/**
 * `"schema"."table"`, each part quoted, for SQL text written by hand once per table (a
 * service's own inbox or outbox): the schema is the service's, so it is never left implicit.
 */
export function qualifiedTableName(table: PgTable): string {
  const { name, schema } = getTableConfig(table);
  return `${escapeIdentifier(schema ?? 'public')}.${escapeIdentifier(name)}`;
}
