import { EVENT_LOG_QUEUE } from '@app/contracts';
import { testSettings, waitFor } from '@app/testing';
import { runBuiltTool } from '../../tools/dlq/test/built-cli';
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

  it('keeps the event in the event log, from which the consumers backfill it once they exist', async () => {
    const posted = await stack.placeOrder(anOrder());
    // events.log is bound to every event, so the event is routable and the row sent at once:
    // the log, not the outbox, keeps it for consumers that do not exist yet.
    await waitFor(
      async () => {
        const rows = await query<{ sent_at: Date | null }>(
          stack.env.DATABASE_URL,
          `select sent_at from orders.outbox where type = 'order.created' and payload->>'orderId' = $1`,
          [posted.body.id],
        );
        return rows[0]?.sent_at ? rows : undefined;
      },
      { description: 'the relay to publish order.created into the event log' },
    );
    const client = await stack.amqpClient();
    try {
      const logged = await client.readStream(EVENT_LOG_QUEUE, (read) => read.length >= 1);
      expect(logged.map((message) => message.properties.messageId)).toHaveLength(1);
    } finally {
      await client.close();
    }

    await Promise.all([stack.launch('payment'), stack.launch('notification')]);
    const env = {
      RABBITMQ_URL: stack.isolation.env.RABBITMQ_URL,
      ...(testSettings.managementUrl && { RABBITMQ_MANAGEMENT_URL: testSettings.managementUrl }),
    };
    for (const queue of ['payment.order-created', 'notification.order-events']) {
      const run = await runBuiltTool('replay', env, queue, '--type', 'order.created');
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain(`Replayed 1 event(s) into ${queue} (order.created 1)`);
    }
    await stack.settledOrder(posted.body.id, 30_000);
    await stack.deliveredNotifications(posted.body.id, PAID_ORDER_NOTIFICATIONS.length);
    expectEachPaidExactlyOnce(
      stack,
      await orderHistories(stack.env.DATABASE_URL, [posted.body.id]),
    );
  });
});
