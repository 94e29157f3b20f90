import { waitFor } from '@app/testing';
import { Client } from 'pg';
import { anOrder, PAID_ORDER_NOTIFICATIONS, Stack } from '../support/stack';
import { expectEachPaidExactlyOnce, orderHistories, query } from './support/history';

describe('A consumer is killed with SIGKILL in the middle of a handler', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start('consumer-crash');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('gets the message redelivered to a new process, with one effect', async () => {
    const databaseUrl = stack.env.DATABASE_URL;
    // Holding a lock on the payments table keeps the payment handler mid-transaction.
    const locker = new Client({ connectionString: databaseUrl });
    await locker.connect();
    await locker.query('begin; lock table payments.payments in access exclusive mode');
    try {
      const posted = await stack.placeOrder(anOrder());
      await waitFor(
        async () =>
          (
            await query(
              databaseUrl,
              `select 1 from pg_stat_activity where application_name = 'payment' and wait_event_type = 'Lock'`,
            )
          ).length > 0,
        { description: 'the payment handler to be blocked mid-transaction' },
      );
      const payment = stack.payments[0];
      payment.signal('SIGKILL');
      await payment.exited();
      await locker.query('rollback');

      await stack.launch('payment');
      await stack.settledOrder(posted.body.id);
      await stack.deliveredNotifications(posted.body.id, PAID_ORDER_NOTIFICATIONS.length);
      expectEachPaidExactlyOnce(await orderHistories(databaseUrl, [posted.body.id]));
    } finally {
      await locker.end();
    }
  });
});
