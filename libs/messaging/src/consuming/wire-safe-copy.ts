import type { Options } from 'amqplib';
import type { Headers } from '../message-headers';
import {
  MAX_SHORT_STRING_BYTES,
  SHORT_STRING_PROPERTIES,
  tableBytes,
} from '../publishing/publish-properties';
import { MAX_HEADERS_BYTES } from './envelope-validator';

/** Room for what a copy adds (x-error, x-last-error…) to headers that were accepted whole. */
const COPY_HEADERS_BYTES = 2 * MAX_HEADERS_BYTES;

/** What is kept of a value moved or trimmed out of the way: enough to recognise it. */
export const KEPT_VALUE_BYTES = 1024;

// amqplib's own table encoder (no typings for this internal module): a value it throws on would
// fail the copy's publish, though amqplib's decoder read it off the wire without complaint.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { encodeTable } = require('amqplib/lib/codec') as {
  encodeTable: (buffer: Buffer, table: Record<string, unknown>, offset: number) => number;
};

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

/** The header a property's value moves to when the wire cannot carry it as a property. */
const originalHeader = (property: string): string =>
  `x-original-${property.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

/**
 * A property above 255 bytes moves to a header of its own: an id from a header, or a short string
 * of invalid UTF-8 that grew when read (each bad byte becomes a three-byte U+FFFD).
 */
function moveLongProperties(properties: Options.Publish, headers: Headers, notes: string[]): void {
  const fields = properties as Record<string, unknown>;
  for (const name of SHORT_STRING_PROPERTIES) {
    const value = fields[name];
    if (typeof value !== 'string' || Buffer.byteLength(value) <= MAX_SHORT_STRING_BYTES) continue;
    delete fields[name];
    headers[originalHeader(name)] = trimmed(value);
    notes.push(`${name} of ${Buffer.byteLength(value)} bytes moved to ${originalHeader(name)}`);
  }
}

/** The typed values amqplib's decoder itself makes, `{ '!': type, value }`, which it writes back. */
const DECODED_TYPES = new Set(['timestamp', 'decimal']);

/**
 * Whether amqplib writes `value` back as it was read. A table with a `!` key is taken for a typed
 * value: one a client sent (`{ '!': 'string', value: 'x', other: 'y' }`) would go out changed
 * (as `'x'`), or not at all, unless it is one the decoder made.
 */
function writesBack(value: unknown): boolean {
  if (Buffer.isBuffer(value)) return true;
  if (Array.isArray(value)) return value.every(writesBack);
  if (typeof value !== 'object' || value === null) return true;
  if (Object.hasOwn(value, '!')) {
    const { '!': type, ...rest } = value as Record<string, unknown>;
    return DECODED_TYPES.has(String(type)) && Object.keys(rest).join() === 'value';
  }
  return Object.values(value).every(writesBack);
}

function encodes(name: string, value: unknown): boolean {
  try {
    const table = { [name]: value };
    encodeTable(Buffer.alloc(tableBytes(table)), table, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A header amqplib reads but cannot write back as it came (a double beyond its integer range, a
 * table with a `!` key) is written as text, a number as such, a table as JSON; one with no text
 * is dropped.
 */
function reencodeHeaders(headers: Headers, notes: string[]): void {
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || (writesBack(value) && encodes(name, value))) continue;
    const text = Buffer.byteLength(name) <= MAX_SHORT_STRING_BYTES ? asText(value) : undefined;
    if (text === undefined) {
      delete headers[name];
      notes.push(`header ${name} dropped: not encodable`);
      continue;
    }
    const bytes = Buffer.byteLength(text);
    headers[name] = trimmed(text);
    const cut = bytes > KEPT_VALUE_BYTES ? `, trimmed from ${bytes} bytes` : '';
    notes.push(`header ${name} written as text${cut}`);
  }
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
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
 * carry what a publish cannot (an id from a header above 255 bytes, a header table too large, a
 * value amqplib reads and cannot write), and its copy must still reach the dead-letter queue.
 * What had to change is listed in `notes`.
 */
export function wireSafeCopy(source: Options.Publish): WireSafeCopy {
  const headers: Headers = { ...(source.headers as Headers | undefined) };
  const properties: Options.Publish = { ...source, headers };
  const notes: string[] = [];
  moveLongProperties(properties, headers, notes);
  reencodeHeaders(headers, notes);
  shrinkHeaders(headers, notes);
  return { properties, notes };
}
