import { EVENTS_EXCHANGE } from '@app/contracts';
import { type AmqpTestClient, waitFor } from '@app/testing';
import type { GetMessage } from 'amqplib';
import request from 'supertest';
import { anOrder, DATABASE_ROUTES, PAID_ORDER_NOTIFICATIONS, Stack } from './support/stack';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(DATABASE_ROUTES)(
  'An order through the three services (real processes, RabbitMQ, PostgreSQL) (database: %s)',
  (route) => {
    let stack: Stack;
    let observer: AmqpTestClient;

    beforeAll(async () => {
      stack = await Stack.start('flow', { paymentReplicas: 2, database: route });
      observer = await stack.amqpClient();
      await observer.bindObserver('every-event', EVENTS_EXCHANGE, ['#']);
    });

    afterAll(async () => {
      await observer?.close();
      await stack?.stop();
    });

    /** The order's payment deadline in order's outbox, sent or not. */
    const deadlinesOf = (orderId: string) =>
      stack.query(
        `select id from orders.outbox where type = 'order.payment-deadline' and payload->>'orderId' = $1`,
        [orderId],
      );

    it('is accepted, paid, and announced: PENDING → PAID with its notifications delivered', async () => {
      const posted = await stack.placeOrder(anOrder());
      expect(posted.headers.location).toBe(`/orders/${posted.body.id}`);
      expect(posted.body).toMatchObject({ status: 'PENDING', total: 2800, currency: 'EUR' });

      const settled = await stack.settledOrder(posted.body.id);
      expect(settled.body).toMatchObject({
        id: posted.body.id,
        status: 'PAID',
        total: 2800,
        payment: { status: 'SUCCEEDED', paymentId: expect.stringMatching(UUID) as string },
      });

      const notifications = await stack.deliveredNotifications(
        posted.body.id,
        PAID_ORDER_NOTIFICATIONS.length,
      );
      expect(notifications.map((notification) => notification.kind).sort()).toEqual(
        [...PAID_ORDER_NOTIFICATIONS].sort(),
      );
      const payments = await request(stack.payments[0].url).get(
        `/payments?orderId=${posted.body.id}`,
      );
      expect(payments.body).toEqual([
        expect.objectContaining({ orderId: posted.body.id, status: 'SUCCEEDED', amount: 2800 }),
      ]);
      // Paid before its deadline: the scheduled deadline went with the payment, not left to fire.
      expect(await deadlinesOf(posted.body.id)).toEqual([]);
    });

    it('is cancelled when the provider declines a total above the limit', async () => {
      const posted = await stack.placeOrder(anOrder(2_000_000));
      const settled = await stack.settledOrder(posted.body.id);
      expect(settled.body).toMatchObject({
        status: 'CANCELLED',
        payment: { status: 'FAILED', reason: 'amount_limit_exceeded' },
      });
      await stack.deliveredNotifications(posted.body.id, PAID_ORDER_NOTIFICATIONS.length);
      expect(await deadlinesOf(posted.body.id)).toEqual([]);
    });

    it('carries one correlation id on every message of the order, each caused by the one before', async () => {
      const correlationId = `e2e-${Date.now()}`;
      const posted = await stack.placeOrder(anOrder(), { 'x-correlation-id': correlationId });
      expect(posted.headers['x-correlation-id']).toBe(correlationId);
      await stack.settledOrder(posted.body.id);

      const collected: GetMessage[] = [];
      const events = await stack.explained(
        waitFor(
          async () => {
            const mine = (await observer.drain('every-event')).filter(
              (message) => JSON.parse(message.content.toString()).orderId === posted.body.id,
            );
            collected.push(...mine);
            return collected.length >= 3 ? collected : undefined;
          },
          { description: 'order.created, payment.succeeded and order.paid to be seen' },
        ),
      );
      const byType = new Map(events.map((event) => [event.properties.type as string, event]));
      const created = byType.get('order.created')!;
      const succeeded = byType.get('payment.succeeded')!;
      const paid = byType.get('order.paid')!;
      for (const [event, appId] of [
        [created, 'order'],
        [succeeded, 'payment'],
        [paid, 'order'],
      ] as const) {
        expect(event.properties).toMatchObject({
          messageId: expect.stringMatching(UUID) as string,
          contentType: 'application/json',
          deliveryMode: 2,
          appId,
          headers: { 'x-correlation-id': correlationId },
        });
      }
      expect(created.properties.headers?.['x-causation-id']).toBe(correlationId);
      expect(succeeded.properties.headers?.['x-causation-id']).toBe(created.properties.messageId);
      expect(paid.properties.headers?.['x-causation-id']).toBe(succeeded.properties.messageId);

      // W3C trace context on every message, one trace id throughout, even with export off.
      const traceIds = [created, succeeded, paid].map((event) => {
        const traceparent = String(event.properties.headers?.traceparent);
        expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
        return traceparent.split('-')[1];
      });
      expect(new Set(traceIds).size).toBe(1);

      const logged = stack.services.flatMap((service) =>
        service.jsonLogs().filter((line) => String(line.msg).includes(posted.body.id)),
      );
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.every((line) => line.correlationId === correlationId)).toBe(true);
    });

    it('puts x-correlation-id on every HTTP response, errors included', async () => {
      const responses = await Promise.all([
        stack.orderApi().get('/orders/not-a-uuid'),
        stack.orderApi().post('/orders').send({ customerId: '' }),
        stack.orderApi().get('/health/live'),
      ]);
      expect(responses.map((response) => response.status)).toEqual([400, 400, 200]);
      for (const response of responses)
        expect(response.headers['x-correlation-id']).toEqual(expect.any(String));
    });
  },
);
