import { EVENTS_EXCHANGE, NOTIFICATION_CHANNELS, OrderCreated } from '@app/contracts';
import { type Database, DRIZZLE } from '@app/platform';
import {
  AmqpTestClient,
  anOrderCreated,
  isolate,
  type Isolation,
  startServiceApp,
  waitFor,
} from '@app/testing';
import { Workflows } from '@app/workflow';
import type { INestApplication } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { inbox, notifications, orderConfirmations } from '../src/db/notification.tables';

describe("An order's confirmation on every channel, as a chord (in-process)", () => {
  let isolation: Isolation;
  let app: INestApplication;
  let client: AmqpTestClient;

  /** Publishes an order.created (of a new order, or again of `orderId`); returns the order id. */
  const orderCreated = async (
    orderId: string = randomUUID(),
    messageId: string = randomUUID(),
  ): Promise<string> => {
    await client.publish(EVENTS_EXCHANGE, OrderCreated.type, anOrderCreated({ orderId }), {
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
  beforeAll(async () => {
    isolation = await isolate('notify-confirm');
    app = await startServiceApp(
      () => import('../src/notification.module').then((m) => m.NotificationModule),
      isolation.env,
    );
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await isolation?.dispose();
  });

  it('delivers on each channel in a group and completes the confirmation in the callback', async () => {
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
});
