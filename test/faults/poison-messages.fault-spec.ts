import { EVENTS_EXCHANGE } from '@app/contracts';
import type { AmqpTestClient } from '@app/testing';
import type { GetMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { Stack } from '../support/stack';

const QUEUE = 'payment.order-created';
const DLQ = `${QUEUE}.dlq`;

describe('Messages that cannot be handled, sent to the real payment service', () => {
  let stack: Stack;
  let client: AmqpTestClient;

  beforeAll(async () => {
    stack = await Stack.start('poison', {
      env: { RETRY_DELAYS_MS: '100,200', PAYMENT_TRANSIENT_FAILURE_RATE: '1' },
      without: ['order'],
    });
    client = await stack.amqpClient();
  });

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
  });

  const send = async (body: unknown, type = 'order.created') => {
    const messageId = randomUUID();
    await client.publish(EVENTS_EXCHANGE, 'order.created', body, {
      messageId,
      type,
      contentType: 'application/json',
    });
    return messageId;
  };

  const deadLettered = async (messageId: string): Promise<GetMessage> => {
    const seen: GetMessage[] = [];
    return stack.explained(
      (async () => {
        for (;;) {
          seen.push(...(await client.take(DLQ, 1)));
          const found = seen.find((message) => message.properties.messageId === messageId);
          if (found) return found;
        }
      })(),
    );
  };

  const retriesOf = (messageId: string) =>
    stack.payments[0].logs.filter((line) => line.includes('Attempt') && line.includes(messageId));

  it.each([
    ['malformed JSON', Buffer.from('{"orderId": '), 'order.created', /^malformed JSON/],
    [
      'a payload breaking the contract',
      { orderId: 'nope' },
      'order.created',
      /^invalid order.created payload: orderId: /,
    ],
    [
      'a type that is not its routing key',
      { anything: true },
      'order.refunded',
      /^the type "order.refunded" does not match the routing key "order.created"$/,
    ],
    [
      'an oversize body',
      { blob: 'x'.repeat(300 * 1024) },
      'order.created',
      /exceeds the 262144-byte limit/,
    ],
  ])('dead-letters %s at once, without retries', async (_case, body, type, reason) => {
    const messageId = await send(body, type);
    const message = await deadLettered(messageId);
    expect(String(message.properties.headers?.['x-error'])).toMatch(reason);
    expect(message.properties.headers?.['x-attempts']).toBe(1);
    expect(retriesOf(messageId)).toEqual([]);
  });

  it('retries a charge that always fails the configured number of times, then dead-letters it', async () => {
    const orderId = randomUUID();
    const messageId = await send({
      orderId,
      customerId: 'c',
      currency: 'EUR',
      total: 100,
      items: [{ sku: 'a', quantity: 1, unitPrice: 100 }],
      createdAt: new Date().toISOString(),
    });
    const message = await deadLettered(messageId);
    expect(message.properties.headers).toMatchObject({
      'x-attempts': 3,
      'x-error': 'payment provider is temporarily unavailable (gave up after 3 attempts)',
      'x-source-queue': QUEUE,
    });
    expect(retriesOf(messageId)).toHaveLength(2);
    expect(JSON.parse(message.content.toString())).toMatchObject({ orderId });
  });
});
