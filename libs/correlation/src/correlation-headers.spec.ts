import { acceptOrCreateCorrelationId, isAcceptableCorrelationId } from './correlation-headers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('acceptOrCreateCorrelationId', () => {
  it.each([
    'a1b2c3',
    '3f2a1c9e-6d4b-4e1a-9c3f-2b7d8e9f0a1b',
    'req_01:trace.span-2',
    'x'.repeat(128),
  ])('keeps the caller id %s', (id) => {
    expect(acceptOrCreateCorrelationId(id)).toBe(id);
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(129)],
    ['with a line break (log injection)', 'abc\nlevel=error'],
    ['with spaces', 'abc def'],
    ['with markup', '<script>'],
    ['starting with a dash', '-abc'],
    ['with non-ASCII letters', 'café'],
    ['two joined header values', 'abc, def'],
  ])('replaces an id that is %s with a new UUID', (_case, id) => {
    const accepted = acceptOrCreateCorrelationId(id);
    expect(accepted).toMatch(UUID);
    expect(accepted).not.toBe(id);
  });

  it.each([undefined, null, 42, ['abc', 'def'], { id: 'abc' }])(
    'creates a UUID when the value %p is not text',
    (value) => {
      expect(acceptOrCreateCorrelationId(value)).toMatch(UUID);
    },
  );

  it('creates a different id each time', () => {
    expect(acceptOrCreateCorrelationId(undefined)).not.toBe(acceptOrCreateCorrelationId(undefined));
  });

  it('reads an id sent as bytes, as AMQP clients may', () => {
    expect(acceptOrCreateCorrelationId(Buffer.from('order-7f3a'))).toBe('order-7f3a');
    expect(acceptOrCreateCorrelationId(Buffer.from('bad id'))).toMatch(UUID);
  });
});

describe('isAcceptableCorrelationId', () => {
  it('accepts plain short text only', () => {
    expect(isAcceptableCorrelationId('abc-123')).toBe(true);
    expect(isAcceptableCorrelationId(Buffer.from('abc-123'))).toBe(false);
    expect(isAcceptableCorrelationId('abc/123')).toBe(false);
  });
});
