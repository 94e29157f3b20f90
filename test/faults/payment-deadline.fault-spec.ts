import { waitFor } from '@app/testing';
import request from 'supertest';
import { anOrder, Stack } from '../support/stack';
import { query } from './support/history';

describe('The order service is killed (SIGKILL) between an order and its payment deadline', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start('deadline-crash', { env: { ORDER_PAYMENT_TIMEOUT_MS: '4000' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('cancels the order at its deadline once order is back, and refunds the late payment', async () => {
    // No payment answers in time: payment is down, its queue keeps order.created.
    await Promise.all(stack.payments.map((payment) => payment.stop()));
    const posted = await stack.placeOrder(anOrder());
    const orderId = posted.body.id as string;
    const killed = stack.order;
    killed.signal('SIGKILL');
    await killed.exited();

    // The deadline is a row in the outbox, not a timer in the dead process.
    await stack.launch('order');
    const settled = await stack.settledOrder(orderId, 20_000);
    expect(settled.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'payment_timeout' });
    const cancellations = await query<{ count: string }>(
      stack.env.DATABASE_URL,
      `select count(*) from orders.outbox where type = 'order.cancelled' and payload->>'orderId' = $1`,
      [orderId],
    );
    expect(Number(cancellations[0].count)).toBe(1);

    await stack.launch('payment');
    await waitFor(
      async () => {
        const payments = await request(stack.payments[0].url).get(`/payments?orderId=${orderId}`);
        return (payments.body as { status: string }[])[0]?.status === 'REFUNDED';
      },
      { description: `the late payment of order ${orderId} refunded`, timeoutMs: 20_000 },
    );
  });
});
