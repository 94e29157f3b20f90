import { waitFor } from '@app/testing';
import { anOrder, DATABASE_ROUTES, PAID_ORDER_NOTIFICATIONS, Stack } from '../support/stack';
import { expectEachPaidExactlyOnce, orderHistories, query } from './support/history';

/**
 * The relay publishes a batch, gets the broker's confirm, and dies before it can mark the rows
 * sent. A trigger holds its UPDATE so the process can be killed at exactly that point.
 */
const HOLD_OUTBOX_UPDATES = `
  create function orders.hold_outbox_update() returns trigger language plpgsql as
    $$ begin perform pg_sleep(60); return new; end $$;
  create trigger hold_outbox_update before update on orders.outbox
    for each row execute function orders.hold_outbox_update();`;

const HELD_SESSIONS_TERMINATE = `
  select pg_terminate_backend(pid) from pg_stat_activity
  where application_name = 'order' and query ilike 'update "orders"."outbox"%'`;

describe.each(DATABASE_ROUTES)(
  'The outbox relay is killed after the confirm, before marking the row sent (database: %s)',
  (route) => {
    let stack: Stack;

    beforeAll(async () => {
      stack = await Stack.start('relay-crash', { database: route });
    });

    afterAll(async () => {
      await stack?.stop();
    });

    it('publishes the row again after a restart, and the duplicate is skipped downstream', async () => {
      const databaseUrl = stack.env.DATABASE_URL;
      await query(databaseUrl, HOLD_OUTBOX_UPDATES);
      const posted = await stack.placeOrder(anOrder());
      const orderId = posted.body.id as string;

      // Published and confirmed: payment has already charged the order.
      await waitFor(
        async () =>
          (
            await query(databaseUrl, 'select 1 from payments.payments where order_id = $1', [
              orderId,
            ])
          ).length === 1,
        {
          description: 'payment to charge the order',
        },
      );
      await waitFor(
        async () =>
          (
            await query(
              databaseUrl,
              `select 1 from pg_stat_activity where application_name = 'order' and query ilike 'update "orders"."outbox"%'`,
            )
          ).length > 0,
        { description: "the relay's mark-as-sent to be held by the trigger" },
      );
      const [{ id: messageId }] = await query<{ id: string }>(
        databaseUrl,
        `select id from orders.outbox where type = 'order.created' and payload->>'orderId' = $1`,
        [orderId],
      );
      const order = stack.order;
      order.signal('SIGKILL');
      await order.exited();
      // PostgreSQL notices a vanished client only when it next talks to it; end the orphaned
      // session now rather than after its 60 s sleep. Its transaction rolls back: the row stays unsent.
      await query(databaseUrl, HELD_SESSIONS_TERMINATE);
      await query(databaseUrl, 'drop trigger hold_outbox_update on orders.outbox');

      await stack.launch('order');
      await waitFor(
        () =>
          stack.payments[0]
            .jsonLogs()
            .some((line) => String(line.msg).startsWith(`Skipped order.created ${messageId}`)),
        { description: 'payment to skip the re-published order.created' },
      );
      await stack.settledOrder(orderId);
      await stack.deliveredNotifications(orderId, PAID_ORDER_NOTIFICATIONS.length);
      expectEachPaidExactlyOnce(stack, await orderHistories(databaseUrl, [orderId]));
    });
  },
);
