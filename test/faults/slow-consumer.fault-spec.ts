import { EVENTS_EXCHANGE } from '@app/contracts';
import { type AmqpTestClient, queueStats, waitFor } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { Stack } from '../support/stack';
import { query } from './support/history';
import { lockPayments } from './support/payment-lock';

const PREFETCH = 10; // payment.order-created's prefetch in payment.topology.ts
const MESSAGES = 40;

describe('A consumer slower than its producer', () => {
  let stack: Stack;
  let client: AmqpTestClient;

  beforeAll(async () => {
    stack = await Stack.start('slow-consumer', { without: ['order'] });
    client = await stack.amqpClient();
  });

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
  });

  it('never holds more unacked messages than its prefetch, and works through the backlog', async () => {
    const lock = await lockPayments(stack.env.DATABASE_URL);
    const orderIds = Array.from({ length: MESSAGES }, () => randomUUID());
    try {
      for (const orderId of orderIds) {
        await client.publish(
          EVENTS_EXCHANGE,
          'order.created',
          {
            orderId,
            customerId: 'c',
            currency: 'EUR',
            total: 5,
            items: [{ sku: 's', quantity: 1, unitPrice: 5 }],
            createdAt: new Date().toISOString(),
          },
          { messageId: randomUUID(), type: 'order.created', contentType: 'application/json' },
        );
      }
      const samples: number[] = [];
      await waitFor(
        async () => {
          const stats = await queueStats(stack.isolation.vhost, 'payment.order-created');
          samples.push(stats.unacknowledged);
          return stats.ready === MESSAGES - PREFETCH && samples.length >= 5;
        },
        {
          description: 'the backlog to settle at prefetch while the handler is stuck',
          intervalMs: 200,
        },
      );
      expect(Math.max(...samples)).toBe(PREFETCH);
    } finally {
      await lock.release();
    }
    await waitFor(
      async () =>
        (
          await query(
            stack.env.DATABASE_URL,
            'select 1 from payments.payments where order_id = any($1)',
            [orderIds],
          )
        ).length === MESSAGES,
      { description: 'the whole backlog to be paid', timeoutMs: 30_000 },
    );
  });
});
