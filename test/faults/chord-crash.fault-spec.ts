import { CompleteConfirmation, NOTIFICATION_CHANNELS } from '@app/contracts';
import { waitFor } from '@app/testing';
import { Client } from 'pg';
import { anOrder, PAID_ORDER_NOTIFICATIONS, Stack } from '../support/stack';
import { expectEachPaidExactlyOnce, orderHistories, query } from './support/history';

/** The advisory lock the sms delivery waits on while the test holds it. */
const HOLD = 4242;

describe("A notification worker is killed (SIGKILL) in the middle of an order confirmation's group", () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start('chord-crash');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const stepStatuses = async (orderId: string) =>
    (
      await query<{ type: string; status: string }>(
        stack.env.DATABASE_URL,
        `select s.type, s.status from notifications.workflow_steps s
         join notifications.order_confirmations c on c.workflow_id = s.workflow_id
         where c.order_id = $1 order by s.step`,
        [orderId],
      )
    ).map((row) => `${row.type} ${row.status}`);

  it('completes the chord exactly once after the restart', async () => {
    const databaseUrl = stack.env.DATABASE_URL;
    // The sms delivery, once sent, waits on a lock the test holds: mid-transaction, mid-group.
    const locker = new Client({ connectionString: databaseUrl });
    await locker.connect();
    await locker.query(`create function notifications.hold_sms() returns trigger language plpgsql
      as $$ begin perform pg_advisory_xact_lock(${HOLD}); return new; end $$`);
    await locker.query(`create trigger hold_sms before update on notifications.notifications
      for each row when (new.channel = 'sms' and new.status = 'DELIVERED')
      execute function notifications.hold_sms()`);
    await locker.query('select pg_advisory_lock($1)', [HOLD]);
    try {
      const posted = await stack.placeOrder(anOrder());
      const orderId = posted.body.id as string;
      await waitFor(
        async () => {
          const statuses = await stepStatuses(orderId);
          const blocked = await query(
            databaseUrl,
            `select 1 from pg_stat_activity where application_name = 'notification'
             and wait_event_type = 'Lock' and wait_event = 'advisory'`,
          );
          return statuses[0] === 'notification.deliver SUCCEEDED' && blocked.length > 0;
        },
        { description: 'the e-mail step done and the sms step blocked mid-transaction' },
      );
      const worker = stack.notification;
      worker.signal('SIGKILL');
      await worker.exited();
      await locker.query('select pg_advisory_unlock($1)', [HOLD]);

      await stack.launch('notification');
      await stack.settledOrder(orderId);
      await stack.deliveredNotifications(orderId, PAID_ORDER_NOTIFICATIONS.length);
      await stack.explained(
        waitFor(
          async () =>
            (await stepStatuses(orderId)).every((status) => status.endsWith(' SUCCEEDED')),
          { description: `the confirmation workflow of ${orderId} done`, timeoutMs: 20_000 },
        ),
      );
      expect(await stepStatuses(orderId)).toEqual([
        ...NOTIFICATION_CHANNELS.map(() => 'notification.deliver SUCCEEDED'),
        `${CompleteConfirmation.type} SUCCEEDED`,
      ]);
      const callbacks = await query<{ count: string }>(
        databaseUrl,
        `select count(*) from notifications.outbox where type = $1 and payload->>'orderId' = $2`,
        [CompleteConfirmation.type, orderId],
      );
      expect(Number(callbacks[0].count)).toBe(1);
      const [confirmation] = await query<{ completed_at: Date | null }>(
        databaseUrl,
        'select completed_at from notifications.order_confirmations where order_id = $1',
        [orderId],
      );
      expect(confirmation.completed_at).toBeInstanceOf(Date);
      expectEachPaidExactlyOnce(stack, await orderHistories(databaseUrl, [orderId]));
    } finally {
      await locker.end();
    }
  });
});
