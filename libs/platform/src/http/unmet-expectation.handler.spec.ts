import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerUnmetExpectation } from './unmet-expectation.handler';

/** A real server with only this listener: any request that reaches a route answers 200. */
async function listening(): Promise<Server> {
  const server = createServer((_request, response) => response.end('reached a route'));
  server.on('checkExpectation', answerUnmetExpectation);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function send(server: Server, headers: Record<string, string>) {
  const { port } = server.address() as AddressInfo;
  return new Promise<{ status?: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const sent = request({ port, host: '127.0.0.1', method: 'POST', path: '/orders', headers });
      sent.on('response', (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode, headers: response.headers, body }),
        );
      });
      sent.on('error', reject);
      sent.end();
    },
  );
}

describe('answerUnmetExpectation', () => {
  let server: Server;
  beforeAll(async () => (server = await listening()));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("answers an unsupported Expect with 417, the request's correlation id and the error shape", async () => {
    const answer = await send(server, { expect: 'something-else', 'x-correlation-id': 'corr-417' });
    expect(answer.status).toBe(417);
    expect(answer.headers['x-correlation-id']).toBe('corr-417');
    expect(JSON.parse(answer.body)).toEqual({
      statusCode: 417,
      error: 'Expectation Failed',
      message: 'Only "Expect: 100-continue" is supported',
    });
  });

  it('makes a correlation id when the request brings none it can take', async () => {
    const answer = await send(server, { expect: 'something-else' });
    expect(answer.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
