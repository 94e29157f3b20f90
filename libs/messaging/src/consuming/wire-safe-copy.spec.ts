import { tableBytes } from '../publishing/publish-properties';
import { KEPT_VALUE_BYTES, wireSafeCopy } from './wire-safe-copy';

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

  it('drops headers no AMQP type can carry, keeping the failure record', () => {
    const copy = wireSafeCopy({ headers: { odd: () => 1, 'x-error': 'bad' } });
    expect(copy.properties.headers).toEqual({ 'x-error': 'bad' });
    expect(copy.notes).toEqual(['headers dropped']);
  });

  it('does not change the source it copies', () => {
    const source = { messageId: 'B'.repeat(300), headers: { big: 'x'.repeat(50_000) } };
    wireSafeCopy(source);
    expect(source.messageId).toHaveLength(300);
    expect(source.headers.big).toHaveLength(50_000);
  });
});
