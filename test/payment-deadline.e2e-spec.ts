import { EVENTS_EXCHANGE, OrderCancelled, OrderCreated, PaymentRefunded } from '@app/contracts';
import { notificationKindsFor } from '@app/contracts';
import { type AmqpTestClient, waitFor } from '@app/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { anOrder, Stack } from './support/stack';

/** What a cancelled order whose late payment was given back notifies. */
const REFUNDED_ORDER_NOTIFICATIONS = notificationKindsFor([
  OrderCreated,
  OrderCancelled,
  PaymentRefunded,
]);

describe('The payment deadline and the refund of a late payment (real processes)', () => {
  let stack: Stack;
  let observer: AmqpTestClient;

  beforeAll(async () => {
    // Payment starts too, so its queue exists and keeps order.created while it is stopped.
    stack = await Stack.start('deadline', { env: { ORDER_PAYMENT_TIMEOUT_MS: '3000' } });
    observer = await stack.amqpClient();
    await observer.bindObserver('refunds', EVENTS_EXCHANGE, [
      'payment.refund-requested',
      'payment.refunded',
    ]);
  });

  afterAll(async () => {
    await observer?.close();
    await stack?.stop();
  });

  const paymentsOf = async (orderId: string) =>
    (await request(stack.payments[0].url).get(`/payments?orderId=${orderId}`)).body as {
      id: string;
      status: string;
      refundedAt?: string;
    }[];

  let orderId: string;

  it('cancels an order whose payment does not come in time, then refunds the late payment', async () => {
    await Promise.all(stack.payments.map((payment) => payment.stop()));
    const posted = await stack.placeOrder(anOrder());
    orderId = posted.body.id as string;

    const settled = await stack.settledOrder(orderId, 15_000);
    expect(settled.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'payment_timeout' });

    // Payment comes back and charges the order it missed: the charge is given back.
    await stack.launch('payment');
    const [payment] = await waitFor(
      async () => {
        const payments = await paymentsOf(orderId);
        return payments[0]?.status === 'REFUNDED' ? payments : undefined;
      },
      { description: `the payment of order ${orderId} refunded`, timeoutMs: 20_000 },
    );
    expect(payment.refundedAt).toEqual(expect.any(String));
    const order = await stack.orderApi().get(`/orders/${orderId}`);
    expect(order.body).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'payment_timeout',
      payment: { status: 'REFUNDED', paymentId: payment.id },
    });
    const notifications = await stack.deliveredNotifications(
      orderId,
      REFUNDED_ORDER_NOTIFICATIONS.length,
    );
    expect(notifications.map((notification) => notification.kind).sort()).toEqual(
      [...REFUNDED_ORDER_NOTIFICATIONS].sort(),
    );
  });

  it('refunds once when payment.succeeded for the cancelled order arrives three times', async () => {
    const [payment] = await paymentsOf(orderId);
    const repeated = { paymentId: payment.id, orderId, amount: 2800, currency: 'EUR' };
    await observer.take('refunds', 2); // the first refund's request and its payment.refunded
    for (let copy = 0; copy < 3; copy += 1) {
      // Three separate messages (not redeliveries the inbox would skip): order asks each time.
      await observer.publish(EVENTS_EXCHANGE, 'payment.succeeded', repeated, {
        messageId: randomUUID(),
        type: 'payment.succeeded',
        contentType: 'application/json',
      });
    }
    const requests = await observer.take('refunds', 3, 15_000);
    expect(requests.map((message) => message.properties.type)).toEqual(
      Array(3).fill('payment.refund-requested'),
    );
    await waitFor(
      () =>
        stack.payments[0].logs.filter((line) => line.includes('is REFUNDED; nothing to refund'))
          .length === 3,
      { description: 'payment to answer the three requests' },
    );
    expect(await observer.drain('refunds')).toEqual([]);
    expect(await paymentsOf(orderId)).toEqual([
      expect.objectContaining({ id: payment.id, status: 'REFUNDED' }),
    ]);
    const notifications = await request(stack.notification.url).get(
      `/notifications?orderId=${orderId}`,
    );
    expect(
      (notifications.body as { kind: string }[]).filter((n) => n.kind === 'order-refunded'),
    ).toHaveLength(1);
  });
});
