import { HttpException } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { answerUnreadableJson } from './unreadable-json.handler';

/** Express's JSON parser, the handler, and a last handler that shows what reached it. */
function app() {
  const server = express();
  server.use(express.json({ limit: '1kb' }));
  server.use(answerUnreadableJson);
  server.post('/', (_request, response) => {
    response.json({ parsed: true });
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

const post = (body: string) =>
  request(app()).post('/').set('content-type', 'application/json').send(body);

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
    await post('{"a":1}').expect(200, { parsed: true });
  });
});
