import { CorrelationContext } from '@app/correlation';
import { AmqpTestClient, isolate, type Isolation, startServiceApp } from '@app/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { NotificationRepository } from '../src/notifications/notification.repository';
import { publishOrderPaid, settledNotification } from './order-paid.fixture';

describe('Notification delivery when the sender keeps failing (in-process)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let client: AmqpTestClient;

  beforeAll(async () => {
    isolation = await isolate('notify-down');
    app = await startServiceApp(
      () => import('../src/notification.module').then((m) => m.NotificationModule),
      {
        ...isolation.env,
        RETRY_DELAYS_MS: '50,100',
        NOTIFICATION_TRANSIENT_FAILURE_RATE: '1',
      },
    );
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await isolation?.dispose();
  });

  /** Runs `work` in a transaction of its own, as a handler would. */
  const inTransaction = <T>(work: () => Promise<T>): Promise<T> =>
    app
      .get(CorrelationContext)
      .run({ correlationId: 'corr-repository', causationId: 'cause' }, () =>
        app.get(TransactionHost).withTransaction(work),
      );

  it('records every attempt, marks the notification FAILED and dead-letters its delivery job', async () => {
    const orderId = await publishOrderPaid(client);
    const job = await client.takeOne('notification.deliver.dlq');
    expect(job.properties.type).toBe('notification.deliver');
    expect(job.properties.headers).toMatchObject({ 'x-attempts': 3 });

    expect(await settledNotification(app, orderId)).toMatchObject({
      kind: 'order-paid',
      status: 'FAILED',
      attempts: 3,
      deliveredAt: null,
    });
  });

  it('leaves a DELIVERED notification as it is when a failed copy records its attempt late', async () => {
    // A redelivered copy of the job may deliver while the failed one's record (written after
    // its rollback) or its dead-lettering waits for the row: DELIVERED must stand.
    const notifications = app.get(NotificationRepository);
    const [row] = await inTransaction(() =>
      notifications.insertEachOnce([
        { id: randomUUID(), orderId: randomUUID(), kind: 'order-paid', channel: 'email' },
      ]),
    );
    await inTransaction(() => notifications.markDelivered(row.id, 2));
    await inTransaction(() => notifications.recordFailedAttempt(row.id, 3));
    await expect(inTransaction(() => notifications.markFailed(row.id))).resolves.toBeUndefined();
    expect(await inTransaction(() => notifications.findById(row.id))).toMatchObject({
      status: 'DELIVERED',
      attempts: 2,
    });
  });

  it('goes on counting attempts when a replayed job starts its own count over', async () => {
    const notifications = app.get(NotificationRepository);
    const [row] = await inTransaction(() =>
      notifications.insertEachOnce([
        { id: randomUUID(), orderId: randomUUID(), kind: 'order-paid', channel: 'email' },
      ]),
    );
    for (const attempt of [1, 2, 3]) {
      await inTransaction(() => notifications.recordFailedAttempt(row.id, attempt));
    }

    // Replayed from its DLQ, the job is at its attempt 1 again.
    await expect(
      inTransaction(() => notifications.markDelivered(row.id, 1)),
    ).resolves.toMatchObject({ status: 'DELIVERED', attempts: 4 });
  });

  it('answers 400 when orderId is missing or malformed, and [] for an order without notifications', async () => {
    await request(app.getHttpServer()).get('/notifications').expect(400);
    await request(app.getHttpServer()).get('/notifications?orderId=nope').expect(400);
    const none = await request(app.getHttpServer())
      .get(`/notifications?orderId=${randomUUID()}`)
      .expect(200);
    expect(none.body).toEqual([]);
  });
});
