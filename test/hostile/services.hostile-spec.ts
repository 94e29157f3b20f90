import { EVENTS_EXCHANGE, RPC_EXCHANGE } from '@app/contracts';
import { type AmqpTestClient, waitFor } from '@app/testing';
import { connect } from 'amqplib';
import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { Stack } from '../support/stack';
import { runBuiltCli } from '../../tools/dlq/test/built-cli';
import { publishRaw } from './support/raw-publish';
import {
  errorOf,
  NOTIFICATION_DLQ,
  orderCreated,
  PAYMENT_DLQ,
  RPC_DLQ,
  ServiceProbes,
} from './support/service-probes';

/**
 * The probes of issue 9 against the three services as processes: each hostile message ends in
 * the dead-letter queue of every consumer once, with a clear reason, and the services go on
 * publishing on the first attempt.
 */
describe('Hostile input against the services', () => {
  let stack: Stack;
  let client: AmqpTestClient;
  let db: Client;
  let probes: ServiceProbes;

  beforeAll(async () => {
    stack = await Stack.start('hostile-services', { env: { RETRY_DELAYS_MS: '100' } });
    client = await stack.amqpClient();
    db = new Client({ connectionString: stack.isolation.env.DATABASE_URL });
    await db.connect();
    probes = new ServiceProbes(stack, client, db);
  });

  afterAll(async () => {
    await db?.end();
    await client?.close();
    await stack?.stop();
  });

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
    const { payment, notification } = await probes.oneCopyInEachDlq();
    for (const copy of [payment, notification]) {
      expect(errorOf(copy)).toBe(
        'invalid messageId: the messageId is 256 characters, above 128; the copy: messageId of ' +
          '256 bytes moved to x-original-message-id',
      );
      expect(copy.properties.headers?.['x-original-message-id']).toBe('B'.repeat(256));
    }
    expect(await probes.charged(valid.orderId)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await probes.publishedFirstTime(valid.orderId, 1)).toEqual([
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
    const { payment } = await probes.oneCopyInEachDlq();
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
    const { payment, notification } = await probes.oneCopyInEachDlq();
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
    const { payment, notification } = await probes.oneCopyInEachDlq();
    for (const copy of [payment, notification]) {
      expect(errorOf(copy)).toBe(
        'the type "order.paid" does not match the routing key "order.created"',
      );
    }
    const notifications = await request(stack.notification.url).get(
      `/notifications?orderId=${forged.orderId}`,
    );
    expect(notifications.body).toEqual([]);
    const payments = await request(stack.payments[0].url).get(
      `/payments?orderId=${forged.orderId}`,
    );
    expect(payments.body).toEqual([]);
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
    const { payment } = await probes.oneCopyInEachDlq();
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
    await probes.nextOrderPublishesFirstTime();
    expect(await client.messageCount(PAYMENT_DLQ)).toBe(0);
  });

  it('finding 5: a messageId reused for another body is skipped with a warning naming both hashes', async () => {
    const messageId = randomUUID();
    const first = orderCreated();
    const second = orderCreated();
    const properties = { contentType: 'application/json', messageId, type: 'order.created' };
    await client.publish(EVENTS_EXCHANGE, 'order.created', first, properties);
    await probes.charged(first.orderId);
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
});
