import { EVENTS_EXCHANGE } from '@app/contracts';
import { type Database, DRIZZLE } from '@app/platform';
import { AmqpTestClient, isolate, type Isolation, startServiceApp, waitFor } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { outbox } from '../src/db/order.tables';

describe('A payment.succeeded for another amount than its order (in-process)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let client: AmqpTestClient;

  beforeAll(async () => {
    isolation = await isolate('order-mismatch');
    app = await startServiceApp(
      () => import('../src/order.module').then((m) => m.OrderModule),
      isolation.env,
    );
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await isolation?.dispose();
  });

  it('does not pay the order, is dead-lettered, and the money it took is asked back', async () => {
    const placed = await request(app.getHttpServer())
      .post('/orders')
      .send({
        customerId: 'customer-1',
        currency: 'EUR',
        items: [{ sku: 'book', quantity: 3, unitPrice: 1000 }],
      })
      .expect(202);
    const orderId = placed.body.id as string;
    const payment = { paymentId: randomUUID(), orderId, amount: 1, currency: 'EUR' };
    await client.publish(EVENTS_EXCHANGE, 'payment.succeeded', payment, {
      messageId: randomUUID(),
      type: 'payment.succeeded',
      contentType: 'application/json',
    });

    const deadLettered = await client.takeOne('order.payment-results.dlq');
    expect(String(deadLettered.properties.headers?.['x-error'])).toContain(
      `payment ${payment.paymentId} of 1 EUR does not pay order ${orderId}, of 3000 EUR`,
    );
    const db = app.get<Database>(DRIZZLE);
    const [refund] = await waitFor(
      async () => {
        const rows = await db
          .select()
          .from(outbox)
          .where(eq(outbox.type, 'payment.refund-requested'));
        return rows.length > 0 ? rows : undefined;
      },
      { description: 'the refund request in the outbox' },
    );
    expect(refund.payload).toEqual({ ...payment, reason: 'payment_mismatch' });
    const order = await request(app.getHttpServer()).get(`/orders/${orderId}`).expect(200);
    expect(order.body).toMatchObject({ status: 'PENDING' });
  });
});
