import type { Options } from 'amqplib';
import type { Headers } from '../message-headers';
import { MAX_SHORT_STRING_BYTES, tableBytes } from '../publishing/publish-properties';
import { MAX_HEADERS_BYTES } from './envelope-validator';

/** Room for what a copy adds (x-error, x-last-error…) to headers that were accepted whole. */
const COPY_HEADERS_BYTES = 2 * MAX_HEADERS_BYTES;

/** What is kept of a value moved or trimmed out of the way: enough to recognise it. */
export const KEPT_VALUE_BYTES = 1024;

/** Headers the copy must keep whole: the failure's own record. */
const KEPT_WHOLE = new Set(['x-error', 'x-attempts', 'x-source-queue', 'x-failed-at']);

export interface WireSafeCopy {
  properties: Options.Publish;
  /** What was moved, trimmed or dropped; empty when the copy is the message as it came. */
  notes: string[];
}

function trimmed(value: string | Buffer): string | Buffer {
  if (typeof value !== 'string') return value.subarray(0, KEPT_VALUE_BYTES);
  const bytes = Buffer.from(value);
  if (bytes.length <= KEPT_VALUE_BYTES) return value;
  return `${bytes.subarray(0, KEPT_VALUE_BYTES).toString('utf8')}…`;
}

function byteLength(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  return Buffer.isBuffer(value) ? value.length : 0;
}

/** An over-long messageId (it may come from a header) moves to a header of its own. */
function moveLongMessageId(properties: Options.Publish, headers: Headers, notes: string[]): void {
  const id = properties.messageId;
  if (typeof id !== 'string' || Buffer.byteLength(id) <= MAX_SHORT_STRING_BYTES) return;
  delete properties.messageId;
  headers['x-original-message-id'] = trimmed(id);
  notes.push(`messageId of ${Buffer.byteLength(id)} bytes moved to x-original-message-id`);
}

/** Trims long header values, then drops the largest until the table fits. */
function shrinkHeaders(headers: Headers, notes: string[]): void {
  if (tableBytes(headers) <= COPY_HEADERS_BYTES) return;
  for (const [name, value] of Object.entries(headers)) {
    const bytes = byteLength(value);
    if (KEPT_WHOLE.has(name) || bytes <= KEPT_VALUE_BYTES) continue;
    headers[name] = trimmed(value as string | Buffer);
    notes.push(`header ${name} trimmed from ${bytes} bytes`);
  }
  const bySize = Object.keys(headers)
    .filter((name) => !KEPT_WHOLE.has(name))
    .sort((a, b) => tableBytes({ [b]: headers[b] }) - tableBytes({ [a]: headers[a] }));
  for (const name of bySize) {
    if (tableBytes(headers) <= COPY_HEADERS_BYTES) return;
    delete headers[name];
    notes.push(`header ${name} dropped`);
  }
}

/**
 * The copy of a consumed message in a form the broker accepts: a message that reached us may
 * carry what a publish cannot (an id from a header above 255 bytes, a header table too large),
 * and its copy must still reach the dead-letter queue. What had to change is listed in `notes`.
 */
export function wireSafeCopy(source: Options.Publish): WireSafeCopy {
  const headers: Headers = { ...(source.headers as Headers | undefined) };
  const properties: Options.Publish = { ...source, headers };
  const notes: string[] = [];
  moveLongMessageId(properties, headers, notes);
  try {
    shrinkHeaders(headers, notes);
  } catch {
    // A value no AMQP type can carry cannot have come off the wire; keep only the record.
    for (const name of Object.keys(headers)) if (!KEPT_WHOLE.has(name)) delete headers[name];
    notes.push('headers dropped');
  }
  return { properties, notes };
}
