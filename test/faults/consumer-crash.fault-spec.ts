import { anOrder, PAID_ORDER_NOTIFICATIONS, Stack } from '../support/stack';
import { expectEachPaidExactlyOnce, orderHistories } from './support/history';
import { lockPayments, paymentHandlersBlocked } from './support/payment-lock';

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
    const lock = await lockPayments(databaseUrl);
    try {
      const posted = await stack.placeOrder(anOrder());
      await paymentHandlersBlocked(databaseUrl);
      const payment = stack.payments[0];
      payment.signal('SIGKILL');
      await payment.exited();
      await lock.release();

      await stack.launch('payment');
      await stack.settledOrder(posted.body.id);
      await stack.deliveredNotifications(posted.body.id, PAID_ORDER_NOTIFICATIONS.length);
      expectEachPaidExactlyOnce(stack, await orderHistories(databaseUrl, [posted.body.id]));
    } finally {
      await lock.release();
    }
  });
});
