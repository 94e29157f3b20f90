import { EVENTS_EXCHANGE } from '@app/contracts';
import { type AmqpTestClient, waitFor } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { Stack, DATABASE_ROUTES } from '../support/stack';
import { query } from './support/history';

describe.each(DATABASE_ROUTES)(
  'One message delivered three times to two competing consumers (database: %s)',
  (route) => {
    let stack: Stack;
    let client: AmqpTestClient;

    beforeAll(async () => {
      stack = await Stack.start('duplicates', {
        paymentReplicas: 2,
        without: ['order'],
        database: route,
      });
      client = await stack.amqpClient();
    });

    afterAll(async () => {
      await client?.close();
      await stack?.stop();
    });

    it('charges once; the other copies are recognised and skipped', async () => {
      const orderIds = Array.from({ length: 5 }, () => randomUUID());
      const messageIds: string[] = [];
      for (const orderId of orderIds) {
        const messageId = randomUUID();
        messageIds.push(messageId);
        const body = {
          orderId,
          customerId: 'c',
          currency: 'EUR',
          total: 7,
          items: [{ sku: 's', quantity: 1, unitPrice: 7 }],
          createdAt: new Date().toISOString(),
        };
        for (let copy = 0; copy < 3; copy += 1) {
          await client.publish(EVENTS_EXCHANGE, 'order.created', body, {
            messageId,
            type: 'order.created',
            contentType: 'application/json',
          });
        }
      }
      const skipped = () =>
        stack.payments.flatMap((payment) =>
          payment.logs.filter((line) => line.includes('Skipped order.created')),
        );
      await stack.explained(
        waitFor(() => skipped().length === 2 * orderIds.length, {
          description: 'two copies of each message skipped',
        }),
      );
      const payments = await query<{ order_id: string }>(
        stack.env.DATABASE_URL,
        'select order_id from payments.payments where order_id = any($1)',
        [orderIds],
      );
      expect(payments.map((row) => row.order_id).sort()).toEqual([...orderIds].sort());
      // Both replicas took part: the duplicates really met competing consumers.
      expect(
        stack.payments.every((payment) =>
          payment.logs.some((line) => line.includes('order.created')),
        ),
      ).toBe(true);
    });
  },
);
