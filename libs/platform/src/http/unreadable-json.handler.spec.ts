import { HttpException } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { answerUnreadableJson } from './unreadable-json.handler';
import { requireUtf8Body } from './utf8-body';

/** Express's JSON parser, the handler, and a last handler that shows what reached it. */
function app() {
  const server = express();
  server.use(express.json({ limit: '1kb', verify: requireUtf8Body }));
  server.use(answerUnreadableJson);
  server.post('/', (request: Request, response) => {
    response.json({ parsed: true, body: request.body as unknown });
  });
  server.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const http = error instanceof HttpException;
    response.status(http ? error.getStatus() : 599).json({
      http,
      message: error instanceof Error ? error.message : String(error),
    });
  });
  return server;
}

/** `body` as its bytes: supertest would otherwise send a Buffer as JSON of its own. */
const post = (body: string | Buffer, contentType = 'application/json') =>
  request(app())
    .post('/')
    .set('content-type', contentType)
    .serialize((bytes: string | Buffer) => bytes as string)
    .send(body);

describe('answerUnreadableJson', () => {
  it('answers malformed JSON with where it broke, never with the body', async () => {
    const response = await post('password=letmein');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ http: true, message: 'Malformed JSON' });
    const truncated = await post('{"customerId": "c", x');
    expect(truncated.body).toEqual({
      http: true,
      message: 'Malformed JSON at position 20 (line 1 column 21)',
    });
  });

  it.each(['null', '42', '"text"', 'true'])(
    'answers JSON that is not an object (%s) saying so',
    async (body) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        http: true,
        message: 'The request body must be a JSON object',
      });
    },
  );

  it("passes the parser's other errors on unchanged", async () => {
    const response = await post(JSON.stringify({ text: 'x'.repeat(2_000) }));
    expect(response.status).toBe(599);
    expect(response.body).toEqual({ http: false, message: 'request entity too large' });
  });

  it('leaves a readable body alone', async () => {
    await post('{"a":1}').expect(200, { parsed: true, body: { a: 1 } });
  });

  it('refuses a UTF-8 body holding bytes that are not UTF-8, rather than read them as U+FFFD', async () => {
    const broken = Buffer.concat([Buffer.from('{"a":"c'), Buffer.from([0xff]), Buffer.from('"}')]);
    for (const contentType of ['application/json', 'application/json; charset=UTF-8']) {
      const response = await post(broken, contentType);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ http: true, message: 'The request body is not valid UTF-8' });
    }
    await post(Buffer.from('{"a":"caf\u00e9 \u{1F600}"}')).expect(200, {
      parsed: true,
      body: { a: 'caf\u00e9 \u{1F600}' },
    });
  });

  it.each([
    ['utf-16le', Buffer.from('{"a":"\u00e9"}', 'utf16le')],
    // A stray byte the UTF-32 decoder would read as U+FFFD.
    ['utf-32le', Buffer.from([0x7b, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0x7d, 0, 0, 0])],
  ])('refuses a body in %s with 415: JSON between systems is UTF-8', async (charset, bytes) => {
    const response = await post(bytes, `application/json; charset=${charset}`);
    expect(response.status).toBe(415);
    expect(response.body).toEqual({
      http: true,
      message: `The request body must be JSON in UTF-8, not ${charset.toUpperCase()} (Content-Type: application/json)`,
    });
  });
});
