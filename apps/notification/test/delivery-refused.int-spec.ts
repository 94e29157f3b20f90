import { AmqpTestClient, isolate, type Isolation, startServiceApp } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { publishOrderPaid, settledNotification } from './order-paid.fixture';

describe('Notification delivery when the channel refuses it for good (in-process)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let client: AmqpTestClient;

  beforeAll(async () => {
    isolation = await isolate('notify-refused');
    // The fake sender answers every e-mail with "no such mailbox", a permanent error.
    app = await startServiceApp(
      () => import('../src/notification.module').then((m) => m.NotificationModule),
      { ...isolation.env, RETRY_DELAYS_MS: '50,100', NOTIFICATION_UNDELIVERABLE_CHANNELS: 'email' },
    );
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await isolation?.dispose();
  });

  it('dead-letters the delivery job at its first attempt and marks the notification FAILED', async () => {
    const orderId = await publishOrderPaid(client);
    const job = await client.takeOne('notification.deliver.dlq');
    expect(job.properties.headers).toMatchObject({
      'x-attempts': 1,
      'x-error': expect.stringContaining('email refuses notifications'),
    });
    // It stayed PENDING for good when FAILED came from the attempt count alone.
    expect(await settledNotification(app, orderId)).toMatchObject({
      kind: 'order-paid',
      status: 'FAILED',
      attempts: 1,
      deliveredAt: null,
    });
  });
});
