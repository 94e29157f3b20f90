import { EVENTS_EXCHANGE } from '@app/contracts';
import { type AmqpTestClient, waitFor } from '@app/testing';
import type { GetMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CREATED_ORDER_NOTIFICATIONS, Stack } from './support/stack';

/** What another client (pika, amqp-tools, the management UI) sends: DESIGN §3 fields, no more. */
function foreignOrderCreated(orderId: string) {
  return {
    body: {
      orderId,
      customerId: 'from-python',
      currency: 'USD',
      total: 4200,
      items: [{ sku: 'mug', quantity: 2, unitPrice: 2100 }],
      createdAt: new Date().toISOString(),
    },
    properties: {
      messageId: randomUUID(),
      type: 'order.created',
      contentType: 'application/json',
      appId: 'legacy-shop',
      timestamp: Math.floor(Date.now() / 1000),
      headers: { 'x-correlation-id': `foreign-${orderId}` },
    },
  };
}

describe('Messages from other AMQP clients', () => {
  let stack: Stack;
  let client: AmqpTestClient;

  beforeAll(async () => {
    stack = await Stack.start('foreign');
    client = await stack.amqpClient();
  });

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
  });

  const skippedDuplicates = (messageId: string) =>
    stack.payments[0]
      .jsonLogs()
      .filter((line) => String(line.msg).startsWith(`Skipped order.created ${messageId}`));

  it('are processed, and the same messageId published three times is charged once', async () => {
    const orderId = randomUUID();
    const { body, properties } = foreignOrderCreated(orderId);
    for (let copy = 0; copy < 3; copy += 1) {
      await client.publish(EVENTS_EXCHANGE, 'order.created', body, properties);
    }
    await stack.explained(
      waitFor(() => skippedDuplicates(properties.messageId).length === 2, {
        description: 'payment to skip the two duplicates',
      }),
    );
    const payments = await request(stack.payments[0].url).get(`/payments?orderId=${orderId}`);
    expect(payments.body).toEqual([
      expect.objectContaining({ orderId, status: 'SUCCEEDED', amount: 4200, currency: 'USD' }),
    ]);
    const notifications = await stack.deliveredNotifications(
      orderId,
      CREATED_ORDER_NOTIFICATIONS.length,
    );
    expect(notifications).toHaveLength(CREATED_ORDER_NOTIFICATIONS.length);
  });

  it('work without x-correlation-id: one is generated and carried on', async () => {
    const orderId = randomUUID();
    const { body, properties } = foreignOrderCreated(orderId);
    await client.publish(EVENTS_EXCHANGE, 'order.created', body, { ...properties, headers: {} });
    await stack.deliveredNotifications(orderId, CREATED_ORDER_NOTIFICATIONS.length);
    const paymentLog = await waitFor(
      () =>
        stack.payments[0]
          .jsonLogs()
          .find((line) => String(line.msg).includes(`for order ${orderId} SUCCEEDED`)),
      { description: 'the payment log line' },
    );
    // The message's own id, as documented, and on the messages it caused: the confirmation's
    // callback ran two hops later, in notification.
    expect(paymentLog.correlationId).toBe(properties.messageId);
    const confirmed = await waitFor(
      () =>
        stack.notification
          .jsonLogs()
          .find((line) => String(line.msg).startsWith(`Confirmation of order ${orderId} complete`)),
      { description: 'the confirmation callback’s log line' },
    );
    expect(confirmed.correlationId).toBe(properties.messageId);
  });

  it('that can never succeed go to the queue dead-letter queue with the reason', async () => {
    const unknownOrder = randomUUID();
    await client.publish(
      EVENTS_EXCHANGE,
      'payment.succeeded',
      { paymentId: randomUUID(), orderId: unknownOrder, amount: 10, currency: 'EUR' },
      { messageId: randomUUID(), type: 'payment.succeeded', contentType: 'application/json' },
    );
    // The foreign order.created messages above name orders the order service never had, so
    // their payment results are dead-lettered too: pick this test's one.
    const seen: GetMessage[] = [];
    const deadLettered = await waitFor(
      async () => {
        seen.push(...(await client.drain('order.payment-results.dlq')));
        return seen.find(
          (message) => JSON.parse(message.content.toString()).orderId === unknownOrder,
        );
      },
      { description: 'the payment result in order.payment-results.dlq' },
    );
    expect(deadLettered.properties.headers).toMatchObject({
      'x-error': `order ${unknownOrder} does not exist`,
      'x-attempts': 1,
      'x-source-queue': 'order.payment-results',
    });
  });
});
