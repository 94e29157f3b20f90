import { type AmqpTestClient, waitFor } from '@app/testing';
import request from 'supertest';
import { anOrder, Stack } from '../support/stack';
import { expectEachSettledPaidOnce, query } from './support/history';

const LIMIT = 5;
const ORDERS = 20;
const QUEUE = 'payment.order-created';

/**
 * Samples a queue's ready messages until stopped, with a passive declare: exact at the moment it
 * is asked. (The management API's counts refresh every 5 s, longer than the queue is full here.)
 */
class DepthSampler {
  private readonly samples: number[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly client: AmqpTestClient) {
    this.loop = this.run();
  }

  get highest(): number {
    return Math.max(0, ...this.samples);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.samples.push(await this.client.messageCount(QUEUE));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Whether the relay has published an order's order.created, or had it refused: the queue full. */
async function relayHasTried(stack: Stack, orderId: string): Promise<boolean> {
  const [row] = await query<{ tried: boolean }>(
    stack.env.DATABASE_URL,
    `select sent_at is not null or coalesce(last_error like '%is full%', false) as tried
     from orders.outbox where type = 'order.created' and payload->>'orderId' = $1`,
    [orderId],
  );
  return row?.tried === true;
}

describe(`Bounded queues: QUEUE_MAX_LENGTH=${LIMIT} with payment stopped`, () => {
  let stack: Stack;
  let client: AmqpTestClient;

  beforeAll(async () => {
    stack = await Stack.start('bounded-queue', { env: { QUEUE_MAX_LENGTH: String(LIMIT) } });
    client = await stack.amqpClient();
  });

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
  });

  it('keeps what a full queue refuses in the outbox, loses nothing, and pays every order once payment is back', async () => {
    await stack.payments[0].stop();
    const sampler = new DepthSampler(client);
    const orderIds: string[] = [];
    const placeOrder = async () => {
      const orderId: string = (await stack.placeOrder(anOrder())).body.id;
      orderIds.push(orderId);
      return orderId;
    };
    // A quorum queue checks its limit as each publish arrives, so a relay batch that crosses the
    // limit goes in whole (see docs/reliability.md): fill the queue first, then overflow it one
    // order at a time, each order's event published or refused before the next is placed.
    for (let i = 0; i < LIMIT; i++) await placeOrder();
    await waitFor(async () => (await client.messageCount(QUEUE)) >= LIMIT, {
      description: `${LIMIT} order.created events in ${QUEUE}`,
    });
    for (let i = LIMIT; i < ORDERS; i++) {
      const orderId = await placeOrder();
      await stack.explained(
        waitFor(() => relayHasTried(stack, orderId), {
          description: `order ${orderId}'s order.created published or refused`,
        }),
      );
    }

    // The broker refuses what comes once the queue is full (one past its limit, measured on
    // 3.10): order's outbox keeps it.
    const held = await query<{ count: string }>(
      stack.env.DATABASE_URL,
      `select count(*) from orders.outbox where sent_at is null and last_error like '%is full%'`,
    );
    expect(Number(held[0].count)).toBeGreaterThanOrEqual(ORDERS - LIMIT - 1);
    const metrics = await request(stack.order.url).get('/metrics');
    expect(metrics.text).toMatch(
      /messaging_messages_published_total\{[^}]*outcome="refused"[^}]*\} [1-9]/,
    );
    // The warning follows the commit that marked the rows, and reaches this process after it.
    await waitFor(
      () => stack.order.logs.some((line) => line.includes('a queue it goes to is full')),
      { description: "order's relay to log that the queue refused its messages" },
    );
    await sampler.stop();
    // A quorum queue takes one message past its limit before it refuses (measured on 3.10).
    expect(sampler.highest).toBeLessThanOrEqual(LIMIT + 1);

    // Once payment drains the queue below its limit, the held rows that are due go as one relay
    // batch, and a batch is taken whole (docs/reliability.md): the limit is not asserted here.
    await stack.launch('payment');
    await expectEachSettledPaidOnce(stack, orderIds, {
      description: `all ${ORDERS} orders settled`,
      timeoutMs: 90_000,
      intervalMs: 250,
    });
    expect(await client.messageCount(`${QUEUE}.dlq`)).toBe(0);
  });
});
