import { waitFor } from '@app/testing';
import { anOrder, PAID_ORDER_NOTIFICATIONS, Stack } from '../support/stack';
import { expectEachPaidExactlyOnce, orderHistories, query } from './support/history';

describe('Order publishes before any consumer queue exists', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start('unroutable', { without: ['payment', 'notification'] });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('keeps the event unsent and reports it, then delivers it once the queues exist', async () => {
    const posted = await stack.placeOrder(anOrder());
    const [row] = await waitFor(
      async () => {
        const rows = await query<{
          attempts: number;
          last_error: string | null;
          sent_at: Date | null;
        }>(
          stack.env.DATABASE_URL,
          `select attempts, last_error, sent_at from orders.outbox where payload->>'orderId' = $1`,
          [posted.body.id],
        );
        return rows[0]?.attempts > 0 ? rows : undefined;
      },
      { description: 'the relay to record the unroutable publish' },
    );
    expect(row.sent_at).toBeNull();
    expect(row.last_error).toBe(
      'No queue is bound to exchange "events" for routing key "order.created"',
    );
    expect(
      stack.order.logs.some((line) =>
        line.includes('Outbox could not publish 1 message(s): No queue is bound'),
      ),
    ).toBe(true);

    // Any one bound queue makes order.created routable: a relay retrying while payment's queue
    // exists and notification's does not yet would publish to payment alone, correctly for the
    // broker and lost for notification. So the row waits, with order stopped, until both
    // consumers have declared their queues; the restarted relay then publishes it once to both.
    // (The running relay's own retry of an unroutable row: outbox-relay's integration test.)
    await stack.order.stop();
    await Promise.all([stack.launch('payment'), stack.launch('notification')]);
    await stack.launch('order');
    await stack.settledOrder(posted.body.id, 30_000);
    await stack.deliveredNotifications(posted.body.id, PAID_ORDER_NOTIFICATIONS.length);
    expectEachPaidExactlyOnce(await orderHistories(stack.env.DATABASE_URL, [posted.body.id]));
  });
});
