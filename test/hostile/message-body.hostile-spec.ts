import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { errorOf, json, messageEdge, TYPE } from './support/message-edge';

/**
 * Bodies a careless or hostile client can send (a byte order mark, invalid UTF-8, a declared
 * encoding): each is handled once or ends in the dead-letter queue once, with a reason.
 */
describe('Hostile input at the message edge: the body', () => {
  const edge = messageEdge('hostile-body');
  const { publish, onlyCopyAfterValidMessage, handled, effectsOf } = edge;

  it('handles a JSON body that starts with a UTF-8 byte order mark', async () => {
    const messageId = randomUUID();
    await publish(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json({ value: 'bom' })]), {
      messageId,
      type: TYPE,
    });
    expect(await handled(messageId)).toEqual([expect.objectContaining({ value: 'bom' })]);
  });

  it('dead-letters invalid UTF-8 instead of handling U+FFFD', async () => {
    const messageId = randomUUID();
    const body = Buffer.concat([
      Buffer.from('{"value":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    await publish(body, { messageId, type: TYPE });
    const copy = await onlyCopyAfterValidMessage();
    expect(errorOf(copy)).toBe('the body is not valid UTF-8');
    expect(copy.content).toEqual(body);
    expect(await effectsOf(messageId)).toEqual([]);
  });

  it('handles a gzip body its content-encoding declares', async () => {
    const messageId = randomUUID();
    await publish(gzipSync(json({ value: 'zipped' })), {
      messageId,
      type: TYPE,
      contentEncoding: 'gzip',
    });
    expect(await handled(messageId)).toEqual([expect.objectContaining({ value: 'zipped' })]);
  });

  it.each([
    [
      'a gzip body inflating past MAX_MESSAGE_BYTES',
      'gzip',
      gzipSync(json({ value: 'x'.repeat(2_000_000) })),
      /^gzip body inflates beyond the \d+-byte limit$/,
    ],
    [
      'a body declared gzip that is not',
      'gzip',
      json({ value: 'plain' }),
      /^gzip body cannot be decompressed: /,
    ],
    [
      'an encoding it does not know',
      'br',
      json({ value: 'brotli?' }),
      /^unsupported content encoding "br"$/,
    ],
  ])('dead-letters %s, with the reason', async (_case, contentEncoding, body, reason) => {
    const messageId = randomUUID();
    await publish(body, { messageId, type: TYPE, contentEncoding });
    expect(errorOf(await onlyCopyAfterValidMessage())).toMatch(reason);
  });
});
