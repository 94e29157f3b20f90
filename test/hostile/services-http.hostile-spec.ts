import { connect as connectSocket } from 'node:net';
import { anOrder, Stack } from '../support/stack';

/**
 * What a careless or hostile HTTP client sends the order service as a process: every answer a
 * 400 in the error shape, with a correlation id, including those Node's own parser gives.
 */
describe('Hostile HTTP requests against the order service', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start('hostile-http', { without: ['payment', 'notification'] });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const body = anOrder();

  it('answers two Idempotency-Key headers with a 400 saying so, with a correlation id', async () => {
    const response = await stack
      .orderApi()
      .post('/orders')
      .set('Idempotency-Key', ['key-a', 'key-b'] as unknown as string) // two header lines
      .send(body);
    expect(response.status).toBe(400);
    expect(response.headers['x-correlation-id']).toBeDefined();
    expect(response.body.errors).toEqual([
      { field: 'Idempotency-Key', message: 'must be sent once, not 2 times' },
    ]);
  });

  it('answers malformed JSON with a 400 through the error filter, with a correlation id', async () => {
    const response = await stack
      .orderApi()
      .post('/orders')
      .set('Content-Type', 'application/json')
      .set('x-correlation-id', 'malformed-json-1')
      .send('{"customerId":');
    expect(response.status).toBe(400);
    expect(response.headers['x-correlation-id']).toBe('malformed-json-1');
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('answers a body with bytes that are not UTF-8 with a 400 saying so, with a correlation id', async () => {
    const latin1 = Buffer.from(JSON.stringify({ ...body, customerId: 'caf\u00e9' }), 'latin1');
    const response = await stack
      .orderApi()
      .post('/orders')
      .set('Content-Type', 'application/json')
      .serialize((bytes: Buffer) => bytes as unknown as string)
      .send(latin1);
    expect(response.status).toBe(400);
    expect(response.headers['x-correlation-id']).toBeDefined();
    expect(response.body).toMatchObject({ message: 'The request body is not valid UTF-8' });
  });

  /** What the server answers to `raw`, written straight onto a socket. */
  const rawAnswer = (raw: string) => {
    const { hostname, port } = new URL(stack.order.url);
    return new Promise<string>((resolve, reject) => {
      const socket = connectSocket(Number(port), hostname, () => socket.write(raw));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
      socket.on('error', reject);
    });
  };

  it.each([
    ['a malformed header line', 'GET /health/live HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n'],
    ['an HTTP/1.1 request without Host', 'GET /health/live HTTP/1.1\r\nConnection: close\r\n\r\n'],
  ])(
    "answers %s (refused by Node's own checks) with a 400 carrying a correlation id",
    async (_case, raw) => {
      const answer = await rawAnswer(raw);
      expect(answer).toMatch(/^HTTP\/1.1 400 Bad Request\r\n/);
      expect(answer).toMatch(/\r\nx-correlation-id: [0-9a-f-]{36}\r\n/i);
    },
  );
});
