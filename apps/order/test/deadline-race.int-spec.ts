import { EVENTS_EXCHANGE, PaymentDeadline, PaymentSucceeded } from '@app/contracts';
import { type Database, DRIZZLE } from '@app/platform';
import { AmqpTestClient, isolate, type Isolation, startServiceApp, waitFor } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { eq, inArray } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { inbox, outbox } from '../src/db/order.tables';

const DEADLINES = 'order.payment-deadlines';

const isOf = (payload: unknown, orderId: string) =>
  (payload as { orderId?: string }).orderId === orderId;

/**
 * The payment deadline and the payment's success, handled at the same moment: each waits on the
 * order's row, which the test holds locked, until both do; then the lock goes and the first in
 * line settles the order. The second must find it settled, whichever it is, and do its part
 * once: nothing after a payment, a refund after a cancellation.
 */
describe('The payment deadline racing the payment (in-process, real PostgreSQL)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let client: AmqpTestClient;
  let db: Database;

  beforeAll(async () => {
    isolation = await isolate('order-deadline-race');
    app = await startServiceApp(
      () => import('../src/order.module').then((m) => m.OrderModule),
      isolation.env,
    );
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
    db = app.get<Database>(DRIZZLE);
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await isolation?.dispose();
  });

  const placeOrder = async () => {
    const placed = await request(app.getHttpServer())
      .post('/orders')
      .send({
        customerId: 'racer',
        currency: 'EUR',
        items: [{ sku: 'a', quantity: 1, unitPrice: 700 }],
      })
      .expect(202);
    return placed.body.id as string;
  };

  /** Each sends its message and resolves to its id. */
  const sendDeadline = async (orderId: string) => {
    const messageId = randomUUID();
    await client.publish(
      '',
      DEADLINES,
      { orderId },
      {
        messageId,
        type: PaymentDeadline.type,
        contentType: 'application/json',
      },
    );
    return messageId;
  };

  const sendPayment = async (orderId: string) => {
    const messageId = randomUUID();
    const payment = { paymentId: randomUUID(), orderId, amount: 700, currency: 'EUR' };
    await client.publish(EVENTS_EXCHANGE, PaymentSucceeded.type, payment, {
      messageId,
      type: PaymentSucceeded.type,
      contentType: 'application/json',
    });
    return messageId;
  };

  /** Holds the order's row locked; `waiting(n)` waits until n of order's statements wait on it. */
  const lockOrder = async (orderId: string) => {
    const locker = new Client({ connectionString: isolation.env.DATABASE_URL });
    await locker.connect();
    await locker.query('begin');
    await locker.query('select 1 from orders.orders where id = $1 for update', [orderId]);
    const blocked = async () => {
      const { rows } = await locker.query(
        `select count(*)::int as count from pg_stat_activity
         where datname = current_database() and application_name = 'order' and wait_event_type = 'Lock'`,
      );
      return rows[0].count as number;
    };
    return {
      waiting: (count: number) =>
        waitFor(async () => (await blocked()) === count, {
          description: `${count} of order's handlers to wait on the order's row`,
        }),
      release: async () => {
        await locker.query('rollback');
        await locker.end();
      },
    };
  };

  /** What order has to send of `orderId`, by type, once both messages are handled. */
  const outcome = async (orderId: string, messageIds: string[]) => {
    await waitFor(
      async () =>
        (await db.select().from(inbox).where(inArray(inbox.messageId, messageIds))).length ===
        messageIds.length,
      { description: 'both messages to be handled' },
    );
    const rows = await db.select().from(outbox);
    const sent = rows
      .filter((row) => isOf(row.payload, orderId))
      .map((row) => row.type)
      .filter((type) => type !== 'order.created' && type !== PaymentDeadline.type)
      .sort();
    const order = await request(app.getHttpServer()).get(`/orders/${orderId}`).expect(200);
    return { status: order.body.status as string, sent };
  };

  /** Places an order and sends `first`, then `second`, each waiting on its row; then lets go. */
  const race = async (
    first: (orderId: string) => Promise<string>,
    second: (orderId: string) => Promise<string>,
  ) => {
    const orderId = await placeOrder();
    const lock = await lockOrder(orderId);
    let ids: string[];
    try {
      const firstId = await first(orderId);
      await lock.waiting(1);
      const secondId = await second(orderId);
      await lock.waiting(2);
      ids = [firstId, secondId];
    } finally {
      // Held past a failed wait, the lock would block the handlers and the app's close with them.
      await lock.release();
    }
    return { orderId, settled: await outcome(orderId, ids) };
  };

  it('cancels and asks for a refund when the deadline settles first', async () => {
    const { settled } = await race(sendDeadline, sendPayment);

    expect(settled).toEqual({
      status: 'CANCELLED',
      sent: ['order.cancelled', 'payment.refund-requested'],
    });
  });

  it('pays, and the deadline does nothing, when the payment settles first', async () => {
    const { orderId, settled } = await race(sendPayment, sendDeadline);

    expect(settled).toEqual({ status: 'PAID', sent: ['order.paid'] });
    // The payment also took the order's own scheduled deadline out of the outbox.
    const deadlines = await db.select().from(outbox).where(eq(outbox.type, PaymentDeadline.type));
    expect(deadlines.filter((row) => isOf(row.payload, orderId))).toEqual([]);
  });
});
