import type { Options } from 'amqplib';
import { tableBytes } from '../publishing/publish-properties';
import { KEPT_VALUE_BYTES, wireSafeCopy } from './wire-safe-copy';

// amqplib's encoder of a publish's properties, as the channel calls it (no typings: internal).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BasicProperties, encodeProperties } = require('amqplib/lib/defs') as {
  BasicProperties: number;
  encodeProperties: (id: number, channel: number, size: number, fields: object) => Buffer;
};

function encodesAsPublished(properties: Options.Publish): boolean {
  try {
    encodeProperties(BasicProperties, 1, 0, properties);
    return true;
  } catch {
    return false;
  }
}

describe('wireSafeCopy', () => {
  it('leaves a copy the wire can carry as it is, without notes', () => {
    const source = { messageId: 'm-1', type: 'order.created', headers: { 'x-error': 'bad' } };
    expect(wireSafeCopy(source)).toEqual({ properties: source, notes: [] });
  });

  it('moves an id above 255 bytes to x-original-message-id, trimmed', () => {
    const copy = wireSafeCopy({ messageId: 'B'.repeat(2000), headers: {} });
    expect(copy.properties.messageId).toBeUndefined();
    const moved = copy.properties.headers?.['x-original-message-id'] as string;
    expect(moved.startsWith('B'.repeat(KEPT_VALUE_BYTES))).toBe(true);
    expect(Buffer.byteLength(moved)).toBeLessThan(KEPT_VALUE_BYTES + 8);
    expect(copy.notes).toEqual(['messageId of 2000 bytes moved to x-original-message-id']);
  });

  it('keeps an invalid id the wire can carry where it was', () => {
    expect(wireSafeCopy({ messageId: 'B'.repeat(200) }).properties.messageId).toBe('B'.repeat(200));
  });

  it('trims oversized header values but keeps the failure record whole', () => {
    const error = 'e'.repeat(3000);
    const copy = wireSafeCopy({
      headers: { 'x-correlation-id': 'c'.repeat(100_000), 'x-error': error, small: 's' },
    });
    const headers = copy.properties.headers as Record<string, unknown>;
    expect(headers['x-error']).toBe(error);
    expect(headers.small).toBe('s');
    expect(Buffer.byteLength(headers['x-correlation-id'] as string)).toBeLessThan(1100);
    expect(copy.notes).toEqual(['header x-correlation-id trimmed from 100000 bytes']);
  });

  it('drops the largest headers when trimming is not enough', () => {
    const many = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`h${i}`, Buffer.alloc(900 + i)]),
    );
    const copy = wireSafeCopy({ headers: { ...many, 'x-error': 'bad' } });
    const headers = copy.properties.headers as Record<string, unknown>;
    expect(tableBytes(headers)).toBeLessThanOrEqual(32 * 1024);
    expect(headers['x-error']).toBe('bad');
    expect(headers.h99).toBeUndefined();
    expect(headers.h0).toBeDefined();
    expect(copy.notes).toContain('header h99 dropped');
  });

  it('drops a header no AMQP type can carry, keeping the others', () => {
    const copy = wireSafeCopy({ headers: { odd: () => 1, kept: 'k', 'x-error': 'bad' } });
    expect(copy.properties.headers).toEqual({ kept: 'k', 'x-error': 'bad' });
    expect(copy.notes).toEqual(['header odd dropped: not encodable']);
  });

  it('writes as text the header values amqplib reads off the wire but cannot write back', () => {
    const headers = {
      // A double below the int64 range, and one above 2^50 with a fraction: amqplib picks `long`.
      'x-far': -1e22,
      'x-fraction': 1125899906842624.5,
      // Tables whose keys amqplib's encoder takes for its own: a type marker, a method it calls.
      'x-marked': { '!': 'bogus' },
      'x-shadowing': { hasOwnProperty: 'x' },
      'x-fine': 42,
      'x-error': 'bad',
    };
    const copy = wireSafeCopy({ headers });

    expect(copy.properties.headers).toEqual({
      'x-far': '-1e+22',
      'x-fraction': '1125899906842624.5',
      'x-marked': '{"!":"bogus"}',
      'x-shadowing': '{"hasOwnProperty":"x"}',
      'x-fine': 42,
      'x-error': 'bad',
    });
    expect(copy.notes).toEqual([
      'header x-far written as text',
      'header x-fraction written as text',
      'header x-marked written as text',
      'header x-shadowing written as text',
    ]);
    expect(encodesAsPublished(copy.properties)).toBe(true);
    expect(encodesAsPublished({ headers })).toBe(false);
  });

  it('writes as text a table with a `!` key amqplib would send changed, at any depth', () => {
    const copy = wireSafeCopy({
      headers: {
        // amqplib would send the first as the string 'x', the second as the byte 5.
        'x-typed': { '!': 'string', value: 'x', other: 'y' },
        'x-nested': { list: [{ '!': 'int8', value: 5, keep: 'k' }] },
        // What amqplib's decoder makes of a timestamp: written back as one.
        'x-sent-at': { '!': 'timestamp', value: 1796457600 },
      },
    });

    expect(copy.properties.headers).toEqual({
      'x-typed': '{"!":"string","value":"x","other":"y"}',
      'x-nested': '{"list":[{"!":"int8","value":5,"keep":"k"}]}',
      'x-sent-at': { '!': 'timestamp', value: 1796457600 },
    });
    expect(copy.notes).toEqual([
      'header x-typed written as text',
      'header x-nested written as text',
    ]);
  });

  it('says when a header written as text was trimmed', () => {
    const copy = wireSafeCopy({ headers: { 'x-marked': { '!': 'bogus', pad: 'p'.repeat(3000) } } });

    expect(Buffer.byteLength(copy.properties.headers?.['x-marked'] as string)).toBeLessThan(1100);
    expect(copy.notes).toEqual(['header x-marked written as text, trimmed from 3022 bytes']);
  });

  it('moves a short-string property that grew past 255 bytes when read to a header', () => {
    // 100 bytes of invalid UTF-8 in `type` read as 100 U+FFFD: 300 bytes.
    const type = Buffer.from('ff'.repeat(100), 'hex').toString('utf8');
    const copy = wireSafeCopy({ type, contentType: 'application/json', headers: {} });

    expect(copy.properties.type).toBeUndefined();
    expect(copy.properties.contentType).toBe('application/json');
    expect(copy.properties.headers?.['x-original-type']).toBe(type);
    expect(copy.notes).toEqual(['type of 300 bytes moved to x-original-type']);
    expect(encodesAsPublished(copy.properties)).toBe(true);
    expect(encodesAsPublished({ type, headers: {} })).toBe(false);
  });

  it('does not change the source it copies', () => {
    const source = { messageId: 'B'.repeat(300), headers: { big: 'x'.repeat(50_000) } };
    wireSafeCopy(source);
    expect(source.messageId).toHaveLength(300);
    expect(source.headers.big).toHaveLength(50_000);
  });
});
