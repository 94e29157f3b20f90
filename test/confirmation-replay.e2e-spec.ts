import { EVENTS_EXCHANGE, NOTIFICATION_CHANNELS, OrderCreated } from '@app/contracts';
import {
  AmqpTestClient,
  anOrderCreated,
  isolate,
  type Isolation,
  ServiceProcess,
  waitFor,
} from '@app/testing';
import { notificationService } from '@app/services';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { runBuiltCli } from '../tools/dlq/test/built-cli';

const DELIVERIES = 'notification.deliver';

describe("An order's confirmation replayed from the DLQ once its sender is back (real processes)", () => {
  let isolation: Isolation;
  let client: AmqpTestClient;
  let notification: ServiceProcess;

  const start = (env: Record<string, string> = {}) =>
    ServiceProcess.start('notification', { ...isolation.env, RETRY_DELAYS_MS: '50,100', ...env })
      .then((service) => (notification = service))
      .then((service) => service.ready());

  beforeAll(async () => {
    isolation = await isolate('confirm-replay');
    // Every send fails, transiently: each delivery spends its attempts, then is dead-lettered.
    await start({ NOTIFICATION_TRANSIENT_FAILURE_RATE: '1' });
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
  });

  afterAll(async () => {
    await client?.close();
    await notification?.stop();
    await isolation?.dispose();
  });

  const orderCreated = async (orderId: string) => {
    await client.publish(EVENTS_EXCHANGE, OrderCreated.type, anOrderCreated({ orderId }), {
      messageId: randomUUID(),
      type: OrderCreated.type,
      contentType: 'application/json',
    });
  };

  /** Waits until each of the order's notifications, in channel order, has `status`. */
  const notificationsBecome = (orderId: string, status: string) =>
    waitFor(
      async () => {
        const response = await request(notification.url).get(`/notifications?orderId=${orderId}`);
        const listed = response.body as { channel: string; status: string }[];
        const byChannel = new Map(listed.map((row) => [row.channel, row.status]));
        return NOTIFICATION_CHANNELS.every((channel) => byChannel.get(channel) === status);
      },
      { description: `order ${orderId}'s notifications ${status}` },
    );

  /** The confirmation's workflow, as the service's database holds it: its status, its steps'. */
  const workflowOf = async (orderId: string) => {
    const { schema, tables } = notificationService.database;
    const client = new Client({ connectionString: isolation.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ status: string; steps: string[] }>(
        `select w.status, array_agg(s.type || ' ' || s.status order by s.step) as steps
           from ${schema}.${tables.orderConfirmations} c
           join ${schema}.workflows w on w.id = c.workflow_id
           join ${schema}.workflow_steps s on s.workflow_id = w.id
          where c.order_id = $1
          group by w.status`,
        [orderId],
      );
      return rows[0];
    } finally {
      await client.end();
    }
  };
  const deliveries = (status: string) => NOTIFICATION_CHANNELS.map(() => `${DELIVERIES} ${status}`);

  const completed = (orderId: string) =>
    notification
      .jsonLogs()
      .some(
        (line) =>
          line.msg === `Confirmation of order ${orderId} complete: delivered on every channel`,
      );

  it('records each dead-lettered delivery as FAILED; the replay delivers them and completes it', async () => {
    const orderId = randomUUID();
    await orderCreated(orderId);
    await waitFor(
      async () => (await client.messageCount(`${DELIVERIES}.dlq`)) === NOTIFICATION_CHANNELS.length,
      { description: 'every delivery in the dead-letter queue' },
    );
    await notificationsBecome(orderId, 'FAILED');
    // Both listeners heard each dead-lettering: the notification's, and the workflow's, whose
    // callback waits.
    expect(await workflowOf(orderId)).toEqual({
      status: 'FAILED',
      steps: [...deliveries('FAILED'), 'notification.complete-confirmation WAITING'],
    });
    expect(completed(orderId)).toBe(false);

    expect(await notification.stop()).toBe(0);
    await start();
    const replay = await runBuiltCli(isolation.env.RABBITMQ_URL, 'replay', DELIVERIES, '--all');
    expect(replay).toMatchObject({ code: 0, stderr: '' });
    await notificationsBecome(orderId, 'DELIVERED');
    await waitFor(() => completed(orderId), { description: `the confirmation of ${orderId}` });
    // The callback's line may come before its commit.
    await waitFor(async () => (await workflowOf(orderId)).status === 'SUCCEEDED', {
      description: `the workflow of ${orderId} SUCCEEDED`,
    });
    expect((await workflowOf(orderId)).steps).toEqual([
      ...deliveries('SUCCEEDED'),
      'notification.complete-confirmation SUCCEEDED',
    ]);
    expect(await client.messageCount(`${DELIVERIES}.dlq`)).toBe(0);
  });
});
