import { randomUUID } from 'node:crypto';
import { DLQ, errorOf, json, messageEdge, TYPE } from './support/message-edge';

/**
 * Envelopes a careless or hostile client can send (ids, types, headers): each message ends in
 * the dead-letter queue once, with a reason, or is handled once, and the consumer goes on
 * handling the next message.
 */
describe('Hostile input at the message edge: the envelope', () => {
  const edge = messageEdge('hostile-envelope');
  const { publish, publishFramed, onlyCopyAfterValidMessage, handled, effectsOf } = edge;

  it('dead-letters an id of 256 characters from x-message-id, moved out of the way', async () => {
    await publish({}, { type: TYPE, headers: { 'x-message-id': 'B'.repeat(256) } });
    const copy = await onlyCopyAfterValidMessage();
    expect(errorOf(copy)).toBe(
      'invalid messageId: the messageId is 256 characters, above 128; the copy: messageId of ' +
        '256 bytes moved to x-original-message-id',
    );
    // The copy gets an id of its own (returns are matched by it); the sender's is kept aside.
    expect(copy.properties.messageId).not.toBe('B'.repeat(256));
    expect(copy.properties.headers?.['x-original-message-id']).toBe('B'.repeat(256));
  });

  it('dead-letters a 50 kB correlation header on an invalid body, the header trimmed', async () => {
    const messageId = randomUUID();
    await publish(Buffer.from('{"value":'), {
      messageId,
      type: TYPE,
      headers: { 'x-correlation-id': 'c'.repeat(50_000) },
    });
    const copy = await onlyCopyAfterValidMessage();
    expect(copy.properties.messageId).toBe(messageId);
    expect(errorOf(copy)).toMatch(
      /^invalid headers: the headers take \d+ bytes, above the 16384-byte limit; the copy: header x-correlation-id trimmed from 50000 bytes$/,
    );
  });

  it('dead-letters a type that contradicts the routing key, with that reason', async () => {
    const messageId = randomUUID();
    await publish({ value: 'typed' }, { messageId, type: 'fixture.other' });
    const copy = await onlyCopyAfterValidMessage();
    expect(copy.properties.messageId).toBe(messageId);
    expect(errorOf(copy)).toBe(`the type "fixture.other" does not match the routing key "${TYPE}"`);
  });

  it('dead-letters a header of 10,000 nested arrays for its size, and goes on consuming', async () => {
    // 50 kB the broker takes; amqplib read it level by level and overflowed the stack while
    // parsing the frame, which closed the consumer's connection at every redelivery (patched
    // to keep what lies below 64 levels as bytes: patches/amqplib+*.patch).
    const messageId = randomUUID();
    await publishFramed({
      body: json({ value: 'deep' }),
      messageId,
      type: TYPE,
      headers: { 'x-deep': { nestedArrays: 10_000 } },
    });
    const copy = await onlyCopyAfterValidMessage();
    expect(copy.properties.messageId).toBe(messageId);
    expect(errorOf(copy)).toMatch(
      /^invalid headers: the headers take \d+ bytes, above the 16384-byte limit; the copy: header x-deep dropped$/,
    );
    expect(await effectsOf(messageId)).toEqual([]);
  });

  it('dead-letters with its reason a message amqplib reads but cannot write back as it came', async () => {
    // A double below the int64 range and a table with a `!` key (amqplib's type marker) in the
    // headers, and 100 bytes of invalid UTF-8 as the type, read as 300 bytes of U+FFFD: a copy
    // published as read would throw, and the broker would dead-letter it without a reason.
    const messageId = randomUUID();
    await publishFramed({
      body: json({ value: 'unwritable' }),
      messageId,
      type: Buffer.alloc(100, 0xff),
      headers: { 'x-far': { double: -1e22 }, 'x-marked': { table: { '!': 'bogus' } } },
    });
    const copy = await onlyCopyAfterValidMessage();
    expect(copy.properties.messageId).toBe(messageId);
    expect(errorOf(copy)).toMatch(
      /^the type ".+" does not match the routing key ".+"; the copy: type of 300 bytes moved to x-original-type, header x-far written as text, header x-marked written as text$/,
    );
    expect(copy.properties.headers).toMatchObject({
      'x-far': '-1e+22',
      'x-marked': '{"!":"bogus"}',
      'x-original-type': '\uFFFD'.repeat(100),
    });
    expect(await effectsOf(messageId)).toEqual([]);
  });

  it('handles a message from a foreign client that sets no type', async () => {
    const messageId = randomUUID();
    await publish({ value: 'untyped' }, { messageId });
    expect(await handled(messageId)).toHaveLength(1);
    expect(await edge.client.messageCount(DLQ)).toBe(0);
  });
});
