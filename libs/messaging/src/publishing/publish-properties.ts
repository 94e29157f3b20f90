import type { Options } from 'amqplib';
import { InvalidPublishPropertiesError } from '../errors';

/** AMQP short strings (property values, exchange and routing key, table keys) are ≤ 255 bytes. */
export const MAX_SHORT_STRING_BYTES = 255;

/**
 * amqplib encodes the header table into a 64 KiB scratch buffer and throws beyond it; the limit
 * leaves room for the rest of the content header.
 */
export const MAX_HEADER_TABLE_BYTES = 60 * 1024;

export const SHORT_STRING_PROPERTIES = [
  'contentType',
  'contentEncoding',
  'correlationId',
  'replyTo',
  'expiration',
  'messageId',
  'type',
  'userId',
  'appId',
  'clusterId',
] as const;

/** The widest fixed-size AMQP field value (tag + 8 bytes): numbers, timestamps, decimals. */
const FIXED_VALUE_BYTES = 9;

/** An upper bound of the encoded size of a field value; throws for a type AMQP cannot carry. */
function fieldValueBytes(value: unknown, path: string): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'string') return 5 + Buffer.byteLength(value);
  if (typeof value === 'boolean') return 2;
  if (typeof value === 'number') return FIXED_VALUE_BYTES;
  if (Buffer.isBuffer(value)) return 5 + value.length;
  if (Array.isArray(value)) {
    return value.reduce<number>((sum, item, i) => sum + fieldValueBytes(item, `${path}[${i}]`), 5);
  }
  if (typeof value === 'object') {
    const typed = value as { '!'?: unknown; value?: unknown };
    if (Object.hasOwn(typed, '!')) {
      return Math.max(FIXED_VALUE_BYTES, fieldValueBytes(typed.value, path));
    }
    return 1 + tableBytes(value as Record<string, unknown>, path);
  }
  throw new InvalidPublishPropertiesError(`header ${path} has a ${typeof value} value`);
}

/** An upper bound of the encoded size of a field table (with its 4-byte length). */
export function tableBytes(table: Record<string, unknown>, path = 'headers'): number {
  let bytes = 4;
  for (const [key, value] of Object.entries(table)) {
    if (value === undefined) continue;
    const keyBytes = Buffer.byteLength(key);
    if (keyBytes > MAX_SHORT_STRING_BYTES) {
      throw new InvalidPublishPropertiesError(`a header name is ${keyBytes} bytes, above 255`);
    }
    bytes += 1 + keyBytes + fieldValueBytes(value, `${path}.${key}`);
  }
  return bytes;
}

function checkShortString(name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'number' && name === 'expiration') return;
  if (typeof value !== 'string') {
    throw new InvalidPublishPropertiesError(`${name} must be a string, got a ${typeof value}`);
  }
  const bytes = Buffer.byteLength(value);
  if (bytes > MAX_SHORT_STRING_BYTES) {
    throw new InvalidPublishPropertiesError(`${name} is ${bytes} bytes, above 255`);
  }
}

/**
 * Checks that amqplib can encode a publish before it is handed to the channel, so a message
 * carrying what the wire cannot (an over-long id, an oversized header table) fails on its own
 * with a clear reason instead of inside the channel.
 */
export function checkPublishProperties(
  exchange: string,
  routingKey: string,
  properties: Options.Publish,
): void {
  checkShortString('exchange', exchange);
  checkShortString('routing key', routingKey);
  const fields = properties as Record<string, unknown>;
  for (const name of SHORT_STRING_PROPERTIES) checkShortString(name, fields[name]);
  if (properties.headers === undefined || properties.headers === null) return;
  const bytes = tableBytes(properties.headers as Record<string, unknown>);
  if (bytes > MAX_HEADER_TABLE_BYTES) {
    throw new InvalidPublishPropertiesError(
      `the headers take ${bytes} bytes, above the ${MAX_HEADER_TABLE_BYTES}-byte limit`,
    );
  }
}
