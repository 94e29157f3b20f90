import { InvalidPublishPropertiesError } from '../errors';
import { checkPublishProperties, MAX_HEADER_TABLE_BYTES, tableBytes } from './publish-properties';

const check =
  (properties: object, routingKey = 'order.created') =>
  () =>
    checkPublishProperties('events', routingKey, properties);

describe('checkPublishProperties', () => {
  it('accepts what the services publish', () => {
    expect(
      check({
        messageId: 'a'.repeat(255),
        type: 'order.created',
        appId: 'order',
        contentType: 'application/json',
        expiration: 2000,
        headers: {
          'x-correlation-id': 'c',
          'x-attempt': 2,
          flag: true,
          none: null,
          raw: Buffer.alloc(3),
        },
      }),
    ).not.toThrow();
  });

  it.each(['messageId', 'type', 'appId', 'correlationId', 'replyTo', 'contentEncoding', 'userId'])(
    'refuses %s above 255 bytes, without echoing it',
    (name) => {
      const run = check({ [name]: 'é'.repeat(128) });
      expect(run).toThrow(InvalidPublishPropertiesError);
      expect(run).toThrow(`${name} is 256 bytes, above 255`);
    },
  );

  it('refuses a routing key above 255 bytes and a non-string messageId', () => {
    expect(check({}, 'k'.repeat(256))).toThrow('routing key is 256 bytes');
    expect(check({ messageId: 42 })).toThrow('messageId must be a string');
  });

  it('refuses a header table the encoder cannot hold, naming its size', () => {
    const run = check({ headers: { 'x-correlation-id': 'x'.repeat(100_000) } });
    expect(run).toThrow(InvalidPublishPropertiesError);
    expect(run).toThrow(`above the ${MAX_HEADER_TABLE_BYTES}-byte limit`);
  });

  it('counts nested tables and arrays, and refuses header names above 255 bytes', () => {
    const nested = { list: ['x'.repeat(40_000), { deep: 'y'.repeat(40_000) }] };
    expect(check({ headers: nested })).toThrow(/above the \d+-byte limit/);
    expect(check({ headers: { ['n'.repeat(256)]: 1 } })).toThrow('header name is 256 bytes');
  });

  it('refuses a header value AMQP has no type for', () => {
    expect(check({ headers: { bad: () => 1 } })).toThrow('header headers.bad has a function value');
  });

  it('never under-estimates the encoded size', () => {
    // 4 (length) + 1 + 1 ("a") + 1 + 4 + 3 ("abc") + 1 + 1 ("n") + 9 (number)
    expect(tableBytes({ a: 'abc', n: 7, gone: undefined })).toBe(25);
  });
});
