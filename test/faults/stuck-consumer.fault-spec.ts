import { closeClientConnections, testSettings, waitFor } from '@app/testing';
import { runBuiltTool } from '../../tools/dlq/test/built-cli';
import { anOrder, PAID_ORDER_NOTIFICATIONS, Stack } from '../support/stack';
import { expectEachPaidExactlyOnce, orderHistories } from './support/history';
import { lockPayments, paymentHandlersBlocked } from './support/payment-lock';

const QUEUE = 'payment.order-created';

describe('A live consumer holds a message and never acknowledges it', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start('stuck-consumer');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows in dlq unacked, and the broker hands the message on when its channel is closed, with one effect', async () => {
    const databaseUrl = stack.env.DATABASE_URL;
    const lock = await lockPayments(databaseUrl);
    try {
      const posted = await stack.placeOrder(anOrder());
      await paymentHandlersBlocked(databaseUrl);

      // What an operator sees: the queue, the service holding the message, its channel's count.
      const env = {
        RABBITMQ_URL: stack.isolation.env.RABBITMQ_URL,
        ...(testSettings.managementUrl && { RABBITMQ_MANAGEMENT_URL: testSettings.managementUrl }),
      };
      const listed = await stack.explained(
        waitFor(
          async () => {
            const run = await runBuiltTool('dlq', env, 'unacked');
            const row = new RegExp(`^${QUEUE.replace('.', '\\.')} +1 +payment +1 +10 `, 'm');
            return run.code === 0 && row.test(run.stdout) ? run : undefined;
          },
          {
            description: 'dlq unacked to list the held message',
            timeoutMs: 20_000,
            intervalMs: 500,
          },
        ),
      );
      expect(listed.stderr).toBe('');

      // consumer_timeout closes a channel whose delivery waits too long; closing payment's
      // connection does the same at once. The broker requeues the message, payment reconnects
      // and gets it again: a second handler now waits on the same lock.
      expect(await closeClientConnections(stack.isolation.vhost, 'payment')).toBe(1);
      await paymentHandlersBlocked(databaseUrl, 2, {
        description: 'the redelivered message to reach a second handler',
        timeoutMs: 20_000,
      });
      await lock.release();

      await stack.settledOrder(posted.body.id);
      await stack.deliveredNotifications(posted.body.id, PAID_ORDER_NOTIFICATIONS.length);
      expectEachPaidExactlyOnce(stack, await orderHistories(databaseUrl, [posted.body.id]));
    } finally {
      await lock.release();
    }
  });
});
