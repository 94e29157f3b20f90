import type { ConsumeMessage } from 'amqplib';
import { gzipSync } from 'node:zlib';
import { parseJsonBody } from './parse-json-body';

const MAX_BYTES = 1024;

function message(content: Buffer, contentEncoding?: string): ConsumeMessage {
  return {
    content,
    fields: { deliveryTag: 1, redelivered: false, exchange: 'events', routingKey: 'order.created' },
    properties: { contentType: 'application/json', contentEncoding, headers: {} },
  } as unknown as ConsumeMessage;
}

const parse = (content: Buffer, encoding?: string) =>
  parseJsonBody(message(content, encoding), MAX_BYTES);

describe('parseJsonBody', () => {
  it('reads a JSON body', () => {
    expect(parse(Buffer.from('{"a":"é"}'))).toEqual({ ok: true, value: { a: 'é' } });
  });

  it('accepts a UTF-8 byte order mark', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]);
    expect(parse(body)).toEqual({ ok: true, value: { a: 1 } });
  });

  it.each([
    [
      'a lone continuation byte',
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x80, 0x22, 0x7d]),
    ],
    [
      'an overlong encoding',
      Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
    ],
    [
      'a truncated sequence',
      Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')]),
    ],
  ])('refuses invalid UTF-8 (%s) instead of reading U+FFFD', (_case, body) => {
    expect(parse(body)).toEqual({ ok: false, reason: 'the body is not valid UTF-8' });
  });

  it.each(['utf-8', 'UTF8', 'identity', ''])('reads a body declared %p as it is', (encoding) => {
    expect(parse(Buffer.from('{"a":1}'), encoding)).toEqual({ ok: true, value: { a: 1 } });
  });

  it.each(['gzip', 'x-gzip', 'GZIP'])('decompresses a body declared %p', (encoding) => {
    expect(parse(gzipSync('{"a":[1,2,3]}'), encoding)).toEqual({
      ok: true,
      value: { a: [1, 2, 3] },
    });
  });

  it('refuses a gzip body that inflates beyond the limit', () => {
    const bomb = gzipSync(JSON.stringify({ a: 'x'.repeat(100_000) }));
    expect(bomb.length).toBeLessThan(MAX_BYTES);
    expect(parse(bomb, 'gzip')).toEqual({
      ok: false,
      reason: `gzip body inflates beyond the ${MAX_BYTES}-byte limit`,
    });
  });

  it('refuses a body declared gzip that is not', () => {
    expect(parse(Buffer.from('{"a":1}'), 'gzip')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^gzip body cannot be decompressed: /),
    });
  });

  it.each(['deflate', 'br', 'zstd', 'base64'])('refuses the content encoding %p', (encoding) => {
    expect(parse(Buffer.from('{"a":1}'), encoding)).toEqual({
      ok: false,
      reason: `unsupported content encoding "${encoding}"`,
    });
  });
});
