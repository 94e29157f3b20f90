import { type ServiceProcess, waitFor } from '@app/testing';
import request from 'supertest';
import { anOrder, PAID_ORDER_NOTIFICATIONS, Stack } from '../support/stack';
import { expectEachPaidExactlyOnce, orderHistories, query } from './support/history';
import { lockPayments, paymentHandlersBlocked } from './support/payment-lock';

const SHUTDOWN_TIMEOUT_MS = 3_000;
/** The setting's default: a drain that ignored the setting would take this long. */
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

describe('SIGTERM while a handler is in flight', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start('shutdown', {
      env: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /**
   * Places an order, holds its payment handler in flight (a lock on payments), sends SIGTERM to
   * the payment that holds it, and hands that to `work`; the lock goes at the end either way.
   */
  const whileHandlerInFlight = async (
    work: (held: {
      posted: Awaited<ReturnType<Stack['placeOrder']>>;
      payment: ServiceProcess;
      release: () => Promise<void>;
    }) => Promise<void>,
  ) => {
    const databaseUrl = stack.env.DATABASE_URL;
    const hold = await lockPayments(databaseUrl);
    try {
      const posted = await stack.placeOrder(anOrder());
      await paymentHandlersBlocked(databaseUrl);
      const payment = stack.payments[0];
      payment.signal('SIGTERM');
      await work({ posted, payment, release: () => hold.release() });
    } finally {
      await hold.release();
    }
  };

  const drainBegun = (payment: ServiceProcess) =>
    waitFor(async () => (await request(payment.url).get('/health/ready')).status === 503, {
      description: 'readiness to go down first',
    });

  it('lets the handler finish, acks it, and exits 0; nothing is lost', async () => {
    const databaseUrl = stack.env.DATABASE_URL;
    await whileHandlerInFlight(async ({ posted, payment, release }) => {
      await drainBegun(payment);
      await request(payment.url).get('/health/serving').expect(503);
      await release();
      expect(await payment.exited()).toBe(0);
      expect(
        await query(databaseUrl, 'select 1 from payments.payments where order_id = $1', [
          posted.body.id,
        ]),
      ).toHaveLength(1);

      // A new replica publishes what the old one committed but did not relay, and nothing runs twice.
      const successor = await stack.launch('payment');
      await stack.settledOrder(posted.body.id);
      await stack.deliveredNotifications(posted.body.id, PAID_ORDER_NOTIFICATIONS.length);
      expectEachPaidExactlyOnce(stack, await orderHistories(databaseUrl, [posted.body.id]));
      expect(successor.logs.filter((line) => line.includes('Skipped order.created'))).toEqual([]);
    });
  });

  it('gives up waiting after SHUTDOWN_TIMEOUT_MS, still exits 0, and the message is handled later', async () => {
    await whileHandlerInFlight(async ({ posted, payment, release }) => {
      const signalled = Date.now();
      expect(await payment.exited()).toBe(0);
      // It waited SHUTDOWN_TIMEOUT_MS (3 s here) for the handler, not the default 10 s.
      expect(Date.now() - signalled).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MS - 100);
      expect(Date.now() - signalled).toBeLessThan(DEFAULT_SHUTDOWN_TIMEOUT_MS);
      expect(payment.logs.some((line) => line.includes('Waiting for 1 message(s) in flight'))).toBe(
        true,
      );
      expect(payment.logs.some((line) => line.includes('Shut down cleanly'))).toBe(true);
      await release();

      await stack.launch('payment');
      await stack.settledOrder(posted.body.id);
      await stack.deliveredNotifications(posted.body.id, PAID_ORDER_NOTIFICATIONS.length);
      expectEachPaidExactlyOnce(
        stack,
        await orderHistories(stack.env.DATABASE_URL, [posted.body.id]),
      );
    });
  });

  it('exits at once, with 1, on a second signal during the drain; the message is handled later', async () => {
    await whileHandlerInFlight(async ({ posted, payment, release }) => {
      await drainBegun(payment);
      payment.signal('SIGINT');
      expect(await payment.exited()).toBe(1);
      expect(payment.logs.some((line) => line.includes('SIGINT received again'))).toBe(true);
      expect(payment.logs.some((line) => line.includes('Shutdown failed'))).toBe(false);
      await release();

      await stack.launch('payment');
      await stack.settledOrder(posted.body.id);
      // The history counts the notifications too: wait for them, as the other two tests do.
      await stack.deliveredNotifications(posted.body.id, PAID_ORDER_NOTIFICATIONS.length);
      expectEachPaidExactlyOnce(
        stack,
        await orderHistories(stack.env.DATABASE_URL, [posted.body.id]),
      );
    });
  });
});
