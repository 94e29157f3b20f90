import { EVENT_LOG_QUEUE } from '@app/contracts';
import { type AmqpTestClient, testSettings, waitFor } from '@app/testing';
import type { ConsumeMessage } from 'amqplib';
import request from 'supertest';
import { runBuiltTool } from '../tools/dlq/test/built-cli';
import { anOrder, PAID_ORDER_NOTIFICATIONS, Stack } from './support/stack';

const QUEUE = 'notification.order-events';

const aboutOrder = (orderId: string) => (message: ConsumeMessage) =>
  (JSON.parse(message.content.toString()) as { orderId?: string }).orderId === orderId;

describe('The event log, and replaying it into a consumer (real processes)', () => {
  let stack: Stack;
  let client: AmqpTestClient;

  const replay = (...args: string[]) =>
    runBuiltTool(
      'replay',
      {
        RABBITMQ_URL: stack.isolation.env.RABBITMQ_URL,
        ...(testSettings.managementUrl && { RABBITMQ_MANAGEMENT_URL: testSettings.managementUrl }),
      },
      ...args,
    );
  const notificationsOf = async (orderId: string) =>
    (await request(stack.notification.url).get(`/notifications?orderId=${orderId}`))
      .body as unknown[];

  beforeAll(async () => {
    stack = await Stack.start('event-log');
    client = await stack.amqpClient();
  });

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
  });

  it('keeps an order history in order, and a replay into a stopped consumer changes nothing', async () => {
    const posted = await stack.placeOrder(anOrder());
    const orderId = posted.body.id as string;
    await stack.settledOrder(orderId);
    const before = await stack.deliveredNotifications(orderId, PAID_ORDER_NOTIFICATIONS.length);

    const history = await stack.explained(
      client.readStream(EVENT_LOG_QUEUE, (read) => read.filter(aboutOrder(orderId)).length >= 3),
    );
    const mine = history.filter(aboutOrder(orderId));
    expect(mine.map((message) => message.properties.type)).toEqual([
      'order.created',
      'payment.succeeded',
      'order.paid',
    ]);

    await stack.notification.stop();
    const run = await replay(QUEUE, '--since', new Date(Date.now() - 60_000).toISOString());
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      // Without --type: the types the queue is bound to, from the management API.
      /^Replaying (.*, )?order\.created, (.*, )?order\.paid\b.* into notification\.order-events/,
    );
    expect(run.stdout).toMatch(
      /Replayed 2 event\(s\) into notification\.order-events \(order\.created 1, order\.paid 1\)/,
    );
    expect(await client.messageCount(QUEUE)).toBe(2);

    // Handled, not only delivered: the inbox recognises each copy by its messageId and skips it.
    const notification = await stack.launch('notification');
    const replayed = mine
      .filter((message) => message.properties.type !== 'payment.succeeded')
      .map((message) => `Skipped ${message.properties.type} ${message.properties.messageId}`);
    const skipped = () =>
      notification
        .jsonLogs()
        .filter((line) => replayed.some((text) => String(line.msg).startsWith(text)));
    await waitFor(() => skipped().length === replayed.length, {
      description: `the replayed ${replayed.join(', ')} skipped as already handled`,
    });
    expect(await notificationsOf(orderId)).toEqual(before);
    expect(await client.messageCount(`${QUEUE}.dlq`)).toBe(0);
  });
});
