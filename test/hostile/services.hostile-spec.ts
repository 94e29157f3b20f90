import { EVENTS_EXCHANGE, RPC_EXCHANGE } from '@app/contracts';
import { deadLetterQueueName, MessageHeaders } from '@app/messaging';
import { type AmqpTestClient, waitFor } from '@app/testing';
import { connect, type GetMessage } from 'amqplib';
import { createHash, randomUUID } from 'node:crypto';
import { connect as connectSocket } from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import { anOrder, Stack } from '../support/stack';
import { runBuiltCli } from '../../tools/dlq/test/built-cli';
import { publishRaw } from './support/raw-publish';

const PAYMENT_DLQ = deadLetterQueueName('payment.order-created');
const NOTIFICATION_DLQ = deadLetterQueueName('notification.order-events');
const RPC_DLQ = deadLetterQueueName('payment.get-by-order');

/** A valid order.created as another client would publish it. */
function orderCreated(orderId = randomUUID()) {
  const items = [{ sku: 'mug', quantity: 2, unitPrice: 2100 }];
  return {
    orderId,
    customerId: 'hostile',
    currency: 'EUR',
    total: 4200,
    items,
    createdAt: new Date().toISOString(),
  };
}

const errorOf = (message: GetMessage) => String(message.properties.headers?.[MessageHeaders.error]);

/**
 * The probes of issue 9 against the three services as processes: each hostile message ends in
 * the dead-letter queue of every consumer once, with a clear reason, and the services go on
 * publishing on the first attempt.
 */
describe('Hostile input against the services', () => {
  let stack: Stack;
  let client: AmqpTestClient;
  let db: Client;

  beforeAll(async () => {
    stack = await Stack.start('hostile-services', { env: { RETRY_DELAYS_MS: '100' } });
    client = await stack.amqpClient();
    db = new Client({ connectionString: stack.isolation.env.DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await client?.close();
    await stack?.stop();
  });

  /** The one payment of an order published by the test, once payment has made it. */
  const charged = (orderId: string) =>
    stack.explained(
      waitFor(
        async () => {
          const response = await request(stack.payments[0].url).get(`/payments?orderId=${orderId}`);
          return response.body.length === 1 ? (response.body[0] as object) : undefined;
        },
        { description: `order ${orderId} to be charged` },
      ),
    );

  /** One copy in each consumer's DLQ, and no more once the next order has gone through. */
  const oneCopyInEachDlq = async () => {
    const payment = await stack.explained(client.takeOne(PAYMENT_DLQ));
    const notification = await stack.explained(client.takeOne(NOTIFICATION_DLQ));
    await nextOrderPublishesFirstTime();
    expect(await client.messageCount(PAYMENT_DLQ)).toBe(0);
    expect(await client.messageCount(NOTIFICATION_DLQ)).toBe(0);
    return { payment, notification };
  };

  /** An order through HTTP: paid, its events all published by the relay at the first attempt. */
  const nextOrderPublishesFirstTime = async () => {
    const { body } = await stack.placeOrder(anOrder());
    const settled = await stack.settledOrder(body.id);
    expect(settled.body.status).toBe('PAID');
    expect(await publishedFirstTime(body.id, 3)).toEqual(
      ['order.created', 'order.paid', 'payment.succeeded'].map((type) => ({ type, attempts: 0 })),
    );
  };

  /**
   * The outbox rows of an order, in every service, once `count` of them are sent: each sent by
   * the relay at its first attempt (a failed one counts in `attempts`), no confirm missed.
   */
  const publishedFirstTime = async (orderId: string, count: number) => {
    const rows = await stack.explained(
      waitFor(
        async () => {
          const { rows: sent } = await db.query<{ type: string; attempts: number }>(
            `select type, attempts from (
               select type, attempts, sent_at, payload from orders.outbox
               union all select type, attempts, sent_at, payload from payments.outbox
             ) rows where payload->>'orderId' = $1 and sent_at is not null order by type`,
            [orderId],
          );
          return sent.length >= count ? sent : undefined;
        },
        { description: `${count} event(s) of order ${orderId} published` },
      ),
    );
    for (const service of stack.services) {
      expect(service.logs.join('\n')).not.toMatch(/no confirm from the broker/);
    }
    return rows;
  };

  it('finding 1: a 256-character x-message-id on an invalid order.created, then a valid one', async () => {
    await client.publish(
      EVENTS_EXCHANGE,
      'order.created',
      {},
      {
        contentType: 'application/json',
        headers: { 'x-message-id': 'B'.repeat(256) },
      },
    );
    const valid = orderCreated();
    await client.publish(EVENTS_EXCHANGE, 'order.created', valid, {
      contentType: 'application/json',
      messageId: randomUUID(),
      type: 'order.created',
    });
    const { payment, notification } = await oneCopyInEachDlq();
    for (const copy of [payment, notification]) {
      expect(errorOf(copy)).toBe(
        'invalid messageId: the messageId is 256 characters, above 128; the copy: messageId of ' +
          '256 bytes moved to x-original-message-id',
      );
      expect(copy.properties.headers?.['x-original-message-id']).toBe('B'.repeat(256));
    }
    expect(await charged(valid.orderId)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await publishedFirstTime(valid.orderId, 1)).toEqual([
      { type: 'payment.succeeded', attempts: 0 },
    ]);
  });

  it('finding 1: the dead-lettered copy replayed with the dlq tool ends in the DLQ once again', async () => {
    const oversizedId = { 'x-message-id': 'B'.repeat(256) };
    await client.publish(
      EVENTS_EXCHANGE,
      'order.created',
      {},
      {
        contentType: 'application/json',
        headers: oversizedId,
      },
    );
    for (const dlq of [PAYMENT_DLQ, NOTIFICATION_DLQ]) {
      await stack.explained(
        waitFor(async () => (await client.messageCount(dlq)) === 1, {
          description: `a copy in ${dlq}`,
        }),
      );
    }
    const replay = await runBuiltCli(
      stack.isolation.env.RABBITMQ_URL,
      'replay',
      PAYMENT_DLQ,
      '--all',
    );
    expect(replay).toMatchObject({ code: 0, stdout: expect.stringMatching(/Replayed 1 message/) });
    const { payment } = await oneCopyInEachDlq();
    expect(payment.properties.headers).toMatchObject({
      'x-replayed-at': expect.any(String),
      ...oversizedId,
    });
    // The first copy got an id of its own (the sender's moved aside), which the replay keeps:
    // this time the envelope passes and the body is what is refused.
    expect(errorOf(payment)).toMatch(/^invalid order\.created payload: orderId: /);
  });

  it('finding 1: a 100 kB x-correlation-id on an invalid body (sent as raw frames)', async () => {
    const model = await connect(stack.isolation.env.RABBITMQ_URL);
    try {
      const channel = await model.createChannel();
      await publishRaw(channel, {
        exchange: EVENTS_EXCHANGE,
        routingKey: 'order.created',
        body: Buffer.from('{"orderId":'),
        messageId: randomUUID(),
        type: 'order.created',
        headers: { 'x-correlation-id': 'c'.repeat(100_000) },
      });
    } finally {
      await model.close();
    }
    const { payment, notification } = await oneCopyInEachDlq();
    for (const copy of [payment, notification]) {
      expect(errorOf(copy)).toMatch(
        /^invalid headers: the headers take \d+ bytes, above the 16384-byte limit; the copy: header x-correlation-id trimmed from 100000 bytes$/,
      );
    }
  });

  it('finding 2: an order.created typed order.paid is dead-lettered by both, and recorded by none', async () => {
    const forged = orderCreated();
    await client.publish(EVENTS_EXCHANGE, 'order.created', forged, {
      contentType: 'application/json',
      messageId: randomUUID(),
      type: 'order.paid',
    });
    const { payment, notification } = await oneCopyInEachDlq();
    for (const copy of [payment, notification]) {
      expect(errorOf(copy)).toBe(
        'the type "order.paid" does not match the routing key "order.created"',
      );
    }
    const notifications = await request(stack.notification.url).get(
      `/notifications?orderId=${forged.orderId}`,
    );
    expect(notifications.body).toEqual([]);
  });

  it('finding 3: an order.created whose total disagrees with its items is never charged', async () => {
    const forged = {
      ...orderCreated(),
      total: 1,
      items: [{ sku: 'tv', quantity: 100, unitPrice: 99_999 }],
    };
    await client.publish(EVENTS_EXCHANGE, 'order.created', forged, {
      contentType: 'application/json',
      messageId: randomUUID(),
      type: 'order.created',
    });
    const { payment } = await oneCopyInEachDlq();
    expect(errorOf(payment)).toMatch(
      /^invalid order.created payload: total: does not equal the sum/,
    );
    const payments = await request(stack.payments[0].url).get(
      `/payments?orderId=${forged.orderId}`,
    );
    expect(payments.body).toEqual([]);
  });

  it('finding 4: an RPC request replying into a service queue is dead-lettered, nothing published there', async () => {
    await client.publish(
      RPC_EXCHANGE,
      'payment.get-by-order',
      { orderId: randomUUID() },
      {
        contentType: 'application/json',
        correlationId: randomUUID(),
        replyTo: 'payment.order-created',
      },
    );
    const copy = await stack.explained(client.takeOne(RPC_DLQ));
    expect(errorOf(copy)).toBe(
      'the replyTo "payment.order-created" is not a reply queue (amq.rabbitmq.reply-to… or amq.gen-…)',
    );
    await nextOrderPublishesFirstTime();
    expect(await client.messageCount(PAYMENT_DLQ)).toBe(0);
  });

  it('finding 5: a messageId reused for another body is skipped with a warning naming both hashes', async () => {
    const messageId = randomUUID();
    const first = orderCreated();
    const second = orderCreated();
    const properties = { contentType: 'application/json', messageId, type: 'order.created' };
    await client.publish(EVENTS_EXCHANGE, 'order.created', first, properties);
    await charged(first.orderId);
    await client.publish(EVENTS_EXCHANGE, 'order.created', second, properties);
    const hash = (body: object) => createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const warning = await stack.explained(
      waitFor(
        () =>
          stack.payments[0]
            .jsonLogs()
            .find((line) => String(line.msg).startsWith(`Skipped order.created ${messageId}`)),
        { description: 'payment to skip the second message' },
      ),
    );
    expect(warning.level).toBe(40);
    expect(warning.msg).toContain(
      `(handled body sha256 ${hash(first)}, this body sha256 ${hash(second)})`,
    );
  });

  describe('HTTP', () => {
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
      [
        'a malformed header line',
        'GET /health/live HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n',
      ],
      [
        'an HTTP/1.1 request without Host',
        'GET /health/live HTTP/1.1\r\nConnection: close\r\n\r\n',
      ],
    ])(
      "answers %s (refused by Node's own checks) with a 400 carrying a correlation id",
      async (_case, raw) => {
        const answer = await rawAnswer(raw);
        expect(answer).toMatch(/^HTTP\/1.1 400 Bad Request\r\n/);
        expect(answer).toMatch(/\r\nx-correlation-id: [0-9a-f-]{36}\r\n/i);
      },
    );
  });
});
