import { GetPaymentByOrder, RPC_EXCHANGE } from '@app/contracts';
import { type Database, DRIZZLE } from '@app/platform';
import { AmqpTestClient, isolate, type Isolation, startServiceApp } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { orders, outbox } from '../src/db/order.tables';

const RPC_TIMEOUT_MS = 200;

const body = {
  customerId: 'customer-1',
  currency: 'EUR',
  items: [{ sku: 'book', quantity: 3, unitPrice: 1000 }],
};

describe('Order HTTP API (in-process, real PostgreSQL and RabbitMQ)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let db: Database;
  const api = () => request(app.getHttpServer());

  beforeAll(async () => {
    isolation = await isolate('order-api');
    app = await startServiceApp(() => import('../src/order.module').then((m) => m.OrderModule), {
      ...isolation.env,
      RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS),
    });
    db = app.get<Database>(DRIZZLE);
  });

  afterAll(async () => {
    await app?.close();
    await isolation?.dispose();
  });

  it('accepts an order: 202, Location, PENDING, total in minor units, and an order.created in the outbox', async () => {
    const response = await api().post('/orders').send(body).expect(202);
    expect(response.headers.location).toBe(`/orders/${response.body.id}`);
    expect(response.body).toMatchObject({
      customerId: 'customer-1',
      status: 'PENDING',
      total: 3000,
    });
    const events = await db.select().from(outbox);
    expect(events.filter((event) => event.type === 'order.created')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          payload: expect.objectContaining({ orderId: response.body.id }),
        }),
      ]),
    );
  });

  it('lists every field error of a bad body in one 400', async () => {
    const response = await api()
      .post('/orders')
      .send({
        customerId: 'c',
        currency: 'euro',
        items: [{ sku: '', quantity: 1001, unitPrice: -1 }],
        coupon: 'x',
      })
      .expect(400);
    const fields = (response.body.errors as { field: string }[]).map((error) => error.field).sort();
    expect(fields).toEqual([
      'coupon',
      'currency',
      'items.0.quantity',
      'items.0.sku',
      'items.0.unitPrice',
    ]);
  });

  it('answers 413 to a body over 100 kB and 400 to malformed JSON, without a stack', async () => {
    /** The body as JSON text of exactly `bytes` bytes (its customerId padded). */
    const sized = (bytes: number) => {
      const bare = JSON.stringify({ ...body, customerId: '' }).length;
      return JSON.stringify({ ...body, customerId: 'x'.repeat(bytes - bare) });
    };
    const post = (text: string) =>
      api().post('/orders').set('content-type', 'application/json').send(text);
    // 100 kB is 100,000 bytes: the next byte is too many (the field's own bound answers 400).
    expect((await post(sized(100_000))).status).toBe(400);
    const tooLarge = await post(sized(100_001)).expect(413);
    expect(tooLarge.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body too large',
    });
    const malformed = await api()
      .post('/orders')
      .set('content-type', 'application/json')
      .send('{"a":')
      .expect(400);
    expect(JSON.stringify(malformed.body)).not.toMatch(/at .*\.js/);
  });

  it('answers 415, naming the Content-Type, to a body not sent as JSON (curl -d without -H)', async () => {
    const form = await api()
      .post('/orders')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send(JSON.stringify(body))
      .expect(415);
    expect(form.body).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: 'The request body must be JSON (Content-Type: application/json)',
    });
    expect(form.headers['x-correlation-id']).toEqual(expect.any(String));
  });

  it('says what is wrong with a body that is not a JSON object, without quoting it', async () => {
    const sent = (text: string) =>
      api().post('/orders').set('content-type', 'application/json').send(text).expect(400);
    expect((await sent('password=letmein')).body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Malformed JSON',
    });
    expect((await sent('{"customerId": "c", x')).body.message).toBe(
      'Malformed JSON at position 20 (line 1 column 21)',
    );
    expect((await sent('null')).body.message).toBe('The request body must be a JSON object');
  });

  it('refuses text PostgreSQL could not store as sent with a 400 naming the field', async () => {
    const response = await api()
      .post('/orders')
      .send({ ...body, customerId: 'c\u0000x', items: [{ ...body.items[0], sku: 'b\ud800' }] })
      .expect(400);
    expect(response.body.errors).toEqual([
      { field: 'customerId', message: 'must not contain NUL characters or unpaired surrogates' },
      { field: 'items.0.sku', message: 'must not contain NUL characters or unpaired surrogates' },
    ]);
  });

  it('refuses a body with bytes that are not UTF-8 rather than store U+FFFD for them', async () => {
    const text = JSON.stringify({ ...body, customerId: 'customer-\u00ff' });
    // The customer id's ÿ as one Latin-1 byte, as a client with the wrong encoding sends it.
    const bytes = Buffer.from(text, 'latin1');
    const response = await api()
      .post('/orders')
      .set('content-type', 'application/json')
      .serialize((sent: Buffer) => sent as unknown as string)
      .send(bytes)
      .expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request body is not valid UTF-8',
    });
    const stored = await db.select().from(orders).where(eq(orders.customerId, 'customer-\ufffd'));
    expect(stored).toEqual([]);
  });

  it('replays the first answer for a repeated Idempotency-Key, and refuses it with another body', async () => {
    const first = await api()
      .post('/orders')
      .set('Idempotency-Key', 'key-1')
      .send(body)
      .expect(202);
    const again = await api()
      .post('/orders')
      .set('Idempotency-Key', 'key-1')
      .send(body)
      .expect(202);
    expect(again.text).toBe(first.text);
    expect(again.headers.location).toBe(first.headers.location);
    await api()
      .post('/orders')
      .set('Idempotency-Key', 'key-1')
      .send({ ...body, customerId: 'someone-else' })
      .expect(422);
  });

  it('creates one order for concurrent requests with the same Idempotency-Key', async () => {
    // A customer of its own: every order the five requests made is counted, not only the answered one.
    const racing = { ...body, customerId: 'customer-racing' };
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        api().post('/orders').set('Idempotency-Key', 'key-race').send(racing),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
    const rows = await db.select().from(orders).where(eq(orders.customerId, racing.customerId));
    expect(rows.map((row) => row.id)).toEqual([responses[0].body.id]);
  });

  it('rejects an Idempotency-Key longer than 128 characters', async () => {
    await api().post('/orders').set('Idempotency-Key', 'k'.repeat(129)).send(body).expect(400);
  });

  it('answers 400 for a malformed id, 404 for an unknown one', async () => {
    await api().get('/orders/123').expect(400);
    const missing = await api().get('/orders/00000000-0000-4000-8000-000000000000').expect(404);
    expect(missing.body.message).toMatch(/not found/);
  });

  it('returns the order with payment UNKNOWN when no payment service takes the request', async () => {
    const created = await api().post('/orders').send(body).expect(202);
    const fetched = await api().get(`/orders/${created.body.id}`).expect(200);
    expect(fetched.body).toMatchObject({ id: created.body.id, payment: { status: 'UNKNOWN' } });
  });

  it('returns the order with payment UNKNOWN when payment does not answer within the deadline', async () => {
    // A request queue nobody consumes stands for a payment service that is up but stuck.
    const client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
    try {
      await client.bindObserver('stuck-payment', RPC_EXCHANGE, [GetPaymentByOrder.routingKey]);
      const created = await api().post('/orders').send(body).expect(202);
      const startedAt = Date.now();
      const fetched = await api().get(`/orders/${created.body.id}`).expect(200);
      expect(fetched.body).toMatchObject({ id: created.body.id, payment: { status: 'UNKNOWN' } });
      // Waited for the deadline: a request no queue takes is known unanswerable at once.
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(RPC_TIMEOUT_MS);
    } finally {
      await client.close();
    }
  });
});
