import { type Database, DRIZZLE } from '@app/platform';
import {
  ApiContract,
  EVERY_SERVICE_OPERATIONS,
  insertStaleOutboxRow,
  isolate,
  type Isolation,
  type ObservedResponse,
  startServiceApp,
  waitFor,
} from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { outbox } from '../src/db/order.tables';

const body = {
  customerId: 'customer-1',
  currency: 'EUR',
  items: [{ sku: 'book', quantity: 3, unitPrice: 1000 }],
};

const badBody = {
  customerId: '',
  currency: 'euro',
  items: [{ sku: 'book', quantity: 0, unitPrice: -1, colour: 'red' }],
};

describe('order API documentation (in-process, real PostgreSQL and RabbitMQ)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let contract: ApiContract;
  const api = () => request(app.getHttpServer());

  /** Asserts that `response` is what the document promises for `operation`. */
  const expectDocumented = (operation: string, response: ObservedResponse) =>
    expect(contract.mismatches(operation, response)).toEqual([]);

  beforeAll(async () => {
    isolation = await isolate('order-api-docs');
    app = await startServiceApp(() => import('../src/order.module').then((m) => m.OrderModule), {
      ...isolation.env,
      RPC_TIMEOUT_MS: '200',
    });
    contract = await ApiContract.of(app.getHttpServer());
  });

  afterAll(async () => {
    await app?.close();
    await isolation?.dispose();
  });

  it('serves the Swagger UI at /docs', async () => {
    const page = await api().get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('swagger-ui');
    await api().get('/docs/swagger-ui-bundle.js').expect(200);
  });

  it('serves a valid OpenAPI 3.1 document of the routes of DESIGN §2, and /health/serving', () => {
    expect(contract.document.openapi).toBe('3.1.0');
    expect(contract.operations().sort()).toEqual(
      ['post /orders', 'get /orders/{id}', ...EVERY_SERVICE_OPERATIONS].sort(),
    );
  });

  it('documents x-correlation-id on every answer of every route', () => {
    const answers = Object.values(contract.document.paths).flatMap((item) =>
      Object.values(item as Record<string, { responses: Record<string, { headers?: object }> }>)
        .filter((operation) => typeof operation === 'object' && 'responses' in operation)
        .flatMap((operation) => Object.values(operation.responses)),
    );
    expect(answers.length).toBeGreaterThan(10);
    for (const answer of answers) expect(answer.headers).toHaveProperty(['x-correlation-id']);
  });

  it('documents the request body as the validation applies it', () => {
    expect(contract.requestMismatches('post /orders', body)).toEqual([]);
    expect(contract.requestMismatches('post /orders', badBody)).not.toEqual([]);
  });

  it('documents 202 with the order, its Location and correlation id', async () => {
    const placed = await api().post('/orders').send(body).expect(202);
    expectDocumented('post /orders', placed);
  });

  it('documents the 400 with every field error', async () => {
    const rejected = await api().post('/orders').send(badBody).expect(400);
    expect(rejected.body.errors.length).toBeGreaterThanOrEqual(5);
    expectDocumented('post /orders', rejected);
  });

  it.each([
    ['malformed JSON', () => api().post('/orders').type('json').send('{"customerId":'), 400],
    [
      'a bad Idempotency-Key',
      () => api().post('/orders').set('Idempotency-Key', 'k'.repeat(129)).send(body),
      400,
    ],
    [
      'a body over 100 kB',
      () =>
        api()
          .post('/orders')
          .send({ ...body, customerId: 'x'.repeat(110_000) }),
      413,
    ],
    [
      'an unsupported charset',
      () =>
        api().post('/orders').set('content-type', 'application/json; charset=latin-9').send('{}'),
      415,
    ],
  ])('documents the answer to %s', async (_case, send, status) => {
    const response = await send();
    expect(response.status).toBe(status);
    expectDocumented('post /orders', response);
  });

  it('documents the 422 for an Idempotency-Key reused with another body', async () => {
    await api().post('/orders').set('Idempotency-Key', 'docs-1').send(body).expect(202);
    const refused = await api()
      .post('/orders')
      .set('Idempotency-Key', 'docs-1')
      .send({ ...body, customerId: 'someone-else' })
      .expect(422);
    expectDocumented('post /orders', refused);
  });

  it('documents GET /orders/{id}: the order, a malformed id and an unknown one', async () => {
    const placed = await api().post('/orders').send(body).expect(202);
    const found = await api().get(`/orders/${placed.body.id}`).expect(200);
    expect(found.body.payment).toEqual({ status: 'UNKNOWN' });
    expectDocumented('get /orders/{id}', found);
    const malformed = await api().get('/orders/42').expect(400);
    expect(malformed.body.errors).toEqual([{ field: 'id', message: expect.any(String) }]);
    expectDocumented('get /orders/{id}', malformed);
    expectDocumented('get /orders/{id}', await api().get(`/orders/${randomUUID()}`).expect(404));
  });

  it('documents the health reports, up and down, and the metrics', async () => {
    expectDocumented('get /health/live', await api().get('/health/live').expect(200));
    expectDocumented('get /health/ready', await api().get('/health/ready').expect(200));
    expectDocumented('get /health/serving', await api().get('/health/serving').expect(200));
    expectDocumented('get /metrics', await api().get('/metrics').expect(200));

    // Older than OUTBOX_MAX_LAG_MS (60 s): the orders placed above, which nothing consumes in
    // this test, stay younger than that.
    const removeRow = await insertStaleOutboxRow(app.get<Database>(DRIZZLE), outbox, 120);
    try {
      const down = await waitFor(
        async () => {
          const answer = await api().get('/health/ready');
          return answer.status === 503 ? answer : undefined;
        },
        { description: 'readiness to report the outbox lag' },
      );
      expectDocumented('get /health/ready', down);
    } finally {
      await removeRow();
    }
  });

  it('finds a response the document does not promise', async () => {
    const placed = await api().post('/orders').send(body).expect(202);
    const tampered = { ...placed, body: { ...placed.body, total: '3000' } };
    expect(contract.mismatches('post /orders', tampered)).toEqual([
      expect.stringContaining('/total'),
    ]);
    expect(contract.mismatches('get /metrics', { ...placed, status: 418 })).toEqual([
      'get /metrics: status 418 is not documented',
    ]);
  });
});
