import { EVENTS_EXCHANGE } from '@app/contracts';
import { type AmqpTestClient, ApiContract, queueStats, waitFor } from '@app/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { paymentService } from '@app/services';
import { Stack, DATABASE_ROUTES } from '../support/stack';
import { query } from './support/history';
import { database, whileDown } from './support/infrastructure';

const RELAY_COMPLAINT = 'Outbox relay could not run a batch';

describe.each(DATABASE_ROUTES)(
  'PostgreSQL stops while messages are being consumed (database: %s)',
  (route) => {
    let stack: Stack;
    let client: AmqpTestClient;
    let orderApi: ApiContract;

    beforeAll(async () => {
      stack = await Stack.start('database-outage', { database: route });
      client = await stack.amqpClient();
      orderApi = await ApiContract.of(stack.order.url);
    });

    afterAll(async () => {
      await client?.close();
      await stack?.stop();
    });

    const orderCreated = (orderId: string) => ({
      orderId,
      customerId: 'during-outage',
      currency: 'EUR',
      total: 900,
      items: [{ sku: 'lamp', quantity: 1, unitPrice: 900 }],
      createdAt: new Date().toISOString(),
    });

    it('holds at most its prefetch unacked without burning attempts, reports the outage, and recovers', async () => {
      // More messages than the consumer may hold: the rest must wait in the queue, ready.
      const { name: queue, prefetch } = paymentService.topology.queues.orderCreated;
      const orderIds = Array.from({ length: prefetch + 3 }, () => randomUUID());
      const payment = stack.payments[0];
      await whileDown(database, async () => {
        for (const orderId of orderIds) {
          await client.publish(EVENTS_EXCHANGE, 'order.created', orderCreated(orderId), {
            messageId: randomUUID(),
            type: 'order.created',
            contentType: 'application/json',
          });
        }
        await waitFor(
          () =>
            payment.logs.some(
              (line) =>
                line.includes('Holding order.created') && line.includes('database is unreachable'),
            ),
          // Through PgBouncer the failing query first waits out query_wait_timeout.
          { description: 'payment to hold the message', timeoutMs: 30_000 },
        );
        const held = await waitFor(
          async () => {
            const stats = await queueStats(stack.isolation.vhost, queue);
            return stats.unacknowledged === prefetch && stats.ready === 3 ? stats : undefined;
          },
          { description: `the broker to count ${prefetch} held messages unacked and 3 ready` },
        );
        expect(held).toMatchObject({ unacknowledged: prefetch, ready: 3 });
        expect(await client.messageCount(`${queue}.dlq`)).toBe(0);
        const ready = await request(payment.url).get('/health/ready');
        expect(ready.status).toBe(503);
        expect(ready.body.error).toMatchObject({ database: { status: 'down' } });
        const serving = await request(payment.url).get('/health/serving');
        expect(serving.status).toBe(503);
        expect(serving.body.error).toMatchObject({ database: { status: 'down' } });
        // The scrape goes on: the gauges read from the database keep their last values.
        const metrics = await request(payment.url).get('/metrics');
        expect(metrics.status).toBe(200);
        expect(metrics.text).toMatch(/^outbox_pending_messages \d+$/m);
        expect(metrics.text).toMatch(/^process_cpu_user_seconds_total \d/m);
        const placed = await request(stack.order.url)
          .post('/orders')
          .send({
            customerId: 'c',
            currency: 'EUR',
            items: [{ sku: 'a', quantity: 1, unitPrice: 1 }],
          });
        expect(placed.status).toBe(503);
        expect(orderApi.mismatches('post /orders', placed)).toEqual([]);
        // Through PgBouncer a query waits in the pooler's queue (query_wait_timeout) before it
        // fails, so the relay's first complaint can come seconds after the consumer's: the
        // outage lasts until it has been heard.
        await waitFor(() => stack.order.logs.some((line) => line.includes(RELAY_COMPLAINT)), {
          description: 'the outbox relay to report the outage',
          timeoutMs: 30_000,
        });
      });

      await stack.explained(
        waitFor(
          async () =>
            (
              await query(
                stack.env.DATABASE_URL,
                'select 1 from payments.payments where order_id = any($1)',
                [orderIds],
              )
            ).length === orderIds.length,
          {
            description: 'the held and waiting payments to go through once PostgreSQL is back',
            timeoutMs: 60_000,
          },
        ),
      );
      expect(await client.messageCount(`${queue}.dlq`)).toBe(0);
      const retries = payment.logs.filter((line) => line.includes('Attempt 1/'));
      expect(retries).toEqual([]);
    });

    it('backs off instead of spinning while the database is away', () => {
      const order = stack.order;
      const relayComplaints = order.logs.filter((line) => line.includes(RELAY_COMPLAINT));
      // About two minutes of outage at most would allow ~15 tries with the relay's backoff; a
      // hot loop would write thousands of lines.
      expect(relayComplaints.length).toBeGreaterThan(0);
      expect(relayComplaints.length).toBeLessThan(30);
    });
  },
);
