import { qualifiedTableName } from '@app/platform';
import type { OutboxMessageColumns, OutboxTable } from './outbox.table';

/** One message as `OutboxWriter` writes it: an element of the insert's JSON parameter. */
export interface OutboxInsertRow extends OutboxMessageColumns {
  /** A scheduled message's moment (sent as its ISO text). */
  deliverAt?: Date;
  /** Or its delay from the transaction's start, by the database's clock. */
  delaySeconds?: number;
}

/**
 * The writer's insert into one outbox table, written once: every message of an `addAll` comes
 * in one jsonb parameter (`outboxInsertValues`), so the text is the same for any number of rows
 * and nothing is built per call. Payload and headers are taken as the JSON they are (`->`). A
 * row without a due time is due at once (`now()`, as the column's default); created_at,
 * attempts and the rest keep their defaults. The one parameter is a string, so a transaction
 * that opens with this statement still sends it with its BEGIN.
 */
export function outboxInsertStatement(outbox: OutboxTable): string {
  const table = qualifiedTableName(outbox);
  return (
    `insert into ${table} ` +
    '(id, exchange, routing_key, type, payload, headers, deliver_at, next_attempt_at) ' +
    "select (m->>'id')::uuid, m->>'exchange', m->>'routingKey', m->>'type', " +
    "m->'payload', m->'headers', due.at, coalesce(due.at, now()) " +
    'from jsonb_array_elements($1::jsonb) as message(m) ' +
    "cross join lateral (select coalesce((m->>'deliverAt')::timestamptz, " +
    "now() + make_interval(secs => (m->>'delaySeconds')::float8))) as due(at)"
  );
}

/** The insert's values: its rows as one JSON text (a Date becomes its ISO text). */
export function outboxInsertValues(rows: readonly OutboxInsertRow[]): string[] {
  return [JSON.stringify(rows)];
}

/**
 * The writer's delete of one message still unsent, written once, with the id as its one
 * parameter: `OutboxWriter.cancel` reads how many rows it deleted, `discard` sends it without
 * waiting for an answer.
 */
export function outboxDeleteUnsentStatement(outbox: OutboxTable): string {
  return `delete from ${qualifiedTableName(outbox)} where "id" = $1 and "sent_at" is null`;
}
