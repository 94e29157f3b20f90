import { EVENTS_EXCHANGE, NOTIFICATION_CHANNELS, OrderCreated } from '@app/contracts';
import { type Database, DRIZZLE } from '@app/platform';
import { AmqpTestClient, isolate, type Isolation, startServiceApp, waitFor } from '@app/testing';
import { Workflows } from '@app/workflow';
import type { INestApplication } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { DlqBrowser } from '../../../tools/dlq/src/broker/dlq.browser';
import { replayMessages } from '../../../tools/dlq/src/commands/replay.command';
import { inbox, notifications, orderConfirmations } from '../src/db/notification.tables';
import { FakeNotificationSender } from '../src/sender/fake-notification.sender';

const DELIVERIES = 'notification.deliver';

describe("An order's confirmation on every channel, as a chord (in-process)", () => {
  let isolation: Isolation;
  let app: INestApplication;
  let client: AmqpTestClient;
  let sender: FakeNotificationSender;

  /** Publishes an order.created (of a new order, or again of `orderId`); returns the order id. */
  const orderCreated = async (
    orderId: string = randomUUID(),
    messageId: string = randomUUID(),
  ): Promise<string> => {
    const event: OrderCreated = {
      orderId,
      customerId: 'customer-1',
      currency: 'EUR',
      total: 100,
      items: [{ sku: 'book', quantity: 1, unitPrice: 100 }],
      createdAt: new Date().toISOString(),
    };
    await client.publish(EVENTS_EXCHANGE, OrderCreated.type, event, {
      messageId,
      type: OrderCreated.type,
      contentType: 'application/json',
    });
    return orderId;
  };

  const confirmation = (orderId: string) =>
    waitFor(
      async () => {
        const [row] = await app
          .get<Database>(DRIZZLE)
          .select()
          .from(orderConfirmations)
          .where(eq(orderConfirmations.orderId, orderId));
        return row;
      },
      { description: `the confirmation of order ${orderId}` },
    );

  const workflowOf = async (orderId: string, status: string) => {
    const { workflowId } = await confirmation(orderId);
    return waitFor(
      async () => {
        const workflow = await app.get(Workflows).find(workflowId);
        return workflow?.status === status ? workflow : undefined;
      },
      { description: `workflow ${workflowId} ${status}`, timeoutMs: 15_000 },
    );
  };
  /** The order's notifications' statuses, in channel order. */
  const statusesOf = async (orderId: string) => {
    const rows = await app
      .get<Database>(DRIZZLE)
      .select()
      .from(notifications)
      .where(eq(notifications.orderId, orderId));
    const byChannel = new Map(rows.map((row) => [row.channel, row.status]));
    return NOTIFICATION_CHANNELS.map((channel) => byChannel.get(channel));
  };

  beforeAll(async () => {
    isolation = await isolate('notify-confirm');
    app = await startServiceApp(
      () => import('../src/notification.module').then((m) => m.NotificationModule),
      { ...isolation.env, RETRY_DELAYS_MS: '50,100', NOTIFICATION_TRANSIENT_FAILURE_RATE: '1' },
    );
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
    // The adapter itself, behind the time limit that NotificationSender names.
    sender = app.get(FakeNotificationSender);
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await isolation?.dispose();
  });

  it('delivers on each channel in a group and completes the confirmation in the callback', async () => {
    sender.random = () => 1; // at or above the failure rate: every send succeeds
    const orderId = await orderCreated();
    const workflow = await workflowOf(orderId, 'SUCCEEDED');
    expect(workflow.steps.map((step) => [step.type, step.status])).toEqual([
      ...NOTIFICATION_CHANNELS.map(() => ['notification.deliver', 'SUCCEEDED']),
      ['notification.complete-confirmation', 'SUCCEEDED'],
    ]);
    expect(
      workflow.steps.slice(0, -1).map((step) => (step.result as { channel: string }).channel),
    ).toEqual([...NOTIFICATION_CHANNELS]);
    expect((await confirmation(orderId)).completedAt).toBeInstanceOf(Date);
  });

  it('confirms an order once when its event comes again under another messageId', async () => {
    sender.random = () => 1;
    const orderId = await orderCreated();
    const first = await workflowOf(orderId, 'SUCCEEDED');
    const again = randomUUID();
    await orderCreated(orderId, again);
    const db = app.get<Database>(DRIZZLE);
    await waitFor(
      async () => (await db.select().from(inbox).where(eq(inbox.messageId, again)))[0],
      { description: 'the second order.created handled' },
    );
    const recorded = await db
      .select()
      .from(notifications)
      .where(eq(notifications.orderId, orderId));
    expect(recorded).toHaveLength(NOTIFICATION_CHANNELS.length);
    expect((await confirmation(orderId)).workflowId).toBe(first.id);
  });

  it('records dead-lettered deliveries as failed; a replay from the DLQ completes it', async () => {
    sender.random = () => 0; // below the failure rate: every send fails
    const orderId = await orderCreated();
    const failed = await waitFor(
      async () => {
        const workflow = await workflowOf(orderId, 'FAILED');
        const steps = workflow.steps.slice(0, -1);
        return steps.every((step) => step.status === 'FAILED') ? workflow : undefined;
      },
      { description: 'every delivery step FAILED' },
    );
    expect(failed.steps[0].error).toContain('temporarily unavailable');
    expect(failed.steps.at(-1)?.status).toBe('WAITING');
    expect((await confirmation(orderId)).completedAt).toBeNull();
    // Both listeners heard each dead-lettering, in the same transaction: the step and the
    // notification.
    expect(await statusesOf(orderId)).toEqual(NOTIFICATION_CHANNELS.map(() => 'FAILED'));

    sender.random = () => 1;
    await waitFor(
      async () => (await client.messageCount(`${DELIVERIES}.dlq`)) === NOTIFICATION_CHANNELS.length,
      { description: 'both deliveries in the dead-letter queue' },
    );
    const browser = await DlqBrowser.connect(isolation.env.RABBITMQ_URL);
    try {
      await replayMessages({ browser, out: { line: () => undefined } }, DELIVERIES, { all: true });
    } finally {
      await browser.close();
    }
    await workflowOf(orderId, 'SUCCEEDED');
    expect((await confirmation(orderId)).completedAt).toBeInstanceOf(Date);
    expect(await statusesOf(orderId)).toEqual(NOTIFICATION_CHANNELS.map(() => 'DELIVERED'));
  });
});
