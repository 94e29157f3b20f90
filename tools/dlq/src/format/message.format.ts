import type { Message, MessageProperties } from 'amqplib';
import { timestampText } from '../messages/dead-letter.view';

/** Property order as in the AMQP spec, so every message reads the same way. */
const PROPERTY_NAMES: (keyof MessageProperties)[] = [
  'messageId',
  'type',
  'timestamp',
  'contentType',
  'contentEncoding',
  'deliveryMode',
  'priority',
  'correlationId',
  'replyTo',
  'expiration',
  'userId',
  'appId',
  'clusterId',
];

/** amqplib tags typed table values ({'!': 'timestamp', value}); show them as their meaning. */
function plain(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value !== 'object' || value === null) return value;
  if ('!' in value && 'value' in value) {
    return value['!'] === 'timestamp' ? (timestampText(value.value) ?? value.value) : value.value;
  }
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
}

export function valueText(value: unknown): string {
  const shown = plain(value);
  if (shown === undefined || shown === null) return '(null)';
  return typeof shown === 'string' ? shown : JSON.stringify(shown);
}

function propertyText(name: keyof MessageProperties, value: unknown): string {
  if (name === 'timestamp') return `${timestampText(value) ?? '?'} (${valueText(value)})`;
  if (name === 'deliveryMode') return value === 2 ? '2 (persistent)' : valueText(value);
  return valueText(value);
}

function namedLines(entries: [string, string][]): string[] {
  const width = Math.max(0, ...entries.map(([name]) => name.length));
  return entries.map(([name, text]) => `  ${name.padEnd(width)}  ${text}`);
}

export function propertyLines(message: Message): string[] {
  const present = PROPERTY_NAMES.filter((name) => message.properties[name] !== undefined);
  if (present.length === 0) return ['  (none)'];
  return namedLines(present.map((name) => [name, propertyText(name, message.properties[name])]));
}

export function headerLines(message: Message): string[] {
  const headers = Object.entries(message.properties.headers ?? {});
  if (headers.length === 0) return ['  (none)'];
  return namedLines(headers.map(([name, value]) => [name, valueText(value)]));
}

/** A title and the body: JSON pretty-printed, anything else as the text it holds. */
export function bodyLines(message: Message): string[] {
  const bytes = message.content.length;
  const text = message.content.toString('utf8');
  if (bytes === 0) return ['Body (empty)'];
  try {
    const pretty = JSON.stringify(JSON.parse(text), null, 2);
    return [`Body (JSON, ${bytes} bytes)`, ...pretty.split('\n')];
  } catch {
    return [`Body (not JSON, as text, ${bytes} bytes)`, ...text.split('\n')];
  }
}
