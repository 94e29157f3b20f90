import { EVENTS_EXCHANGE, GetPaymentByOrder, PaymentRefundRequested } from '@app/contracts';
import { CorrelationContext } from '@app/correlation';
import { RpcClient } from '@app/messaging';
import { type Database, DRIZZLE } from '@app/platform';
import {
  AmqpTestClient,
  anOrderCreated,
  isolate,
  type Isolation,
  startServiceApp,
} from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { outbox, payments } from '../src/db/payment.tables';

describe('Payment: a provider that is down, and messages that can never succeed (in-process, real RabbitMQ and PostgreSQL)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let client: AmqpTestClient;

  beforeAll(async () => {
    isolation = await isolate('payment-down');
    app = await startServiceApp(
      () => import('../src/payment.module').then((m) => m.PaymentModule),
      {
        ...isolation.env,
        RETRY_DELAYS_MS: '50,100',
        PAYMENT_TRANSIENT_FAILURE_RATE: '1',
      },
    );
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await isolation?.dispose();
  });

  const paymentStatus = (orderId: string) =>
    app
      .get(CorrelationContext)
      .run({ correlationId: 'corr', causationId: 'corr' }, () =>
        app.get(RpcClient).call(GetPaymentByOrder, { orderId }),
      );

  it('retries the charge, then dead-letters the order after the configured attempts', async () => {
    const order = anOrderCreated({ total: 500 });
    const messageId = randomUUID();
    await client.publish(EVENTS_EXCHANGE, 'order.created', order, {
      messageId,
      type: 'order.created',
      contentType: 'application/json',
    });
    const deadLettered = await client.takeOne('payment.order-created.dlq');
    expect(deadLettered.properties.messageId).toBe(messageId);
    expect(deadLettered.properties.headers).toMatchObject({
      'x-attempts': 3,
      'x-error': 'payment provider is temporarily unavailable (gave up after 3 attempts)',
    });
    expect(JSON.parse(deadLettered.content.toString())).toEqual(order);
    await expect(paymentStatus(order.orderId)).resolves.toEqual({ status: 'PENDING' });
  });

  it('dead-letters an order whose total disagrees with its items, charging nothing', async () => {
    const forged = {
      ...anOrderCreated({ total: 1 }),
      items: [{ sku: 'tv', quantity: 100, unitPrice: 99_999 }],
    };
    const messageId = randomUUID();
    await client.publish(EVENTS_EXCHANGE, 'order.created', forged, {
      messageId,
      type: 'order.created',
      contentType: 'application/json',
    });
    const deadLettered = await client.takeOne('payment.order-created.dlq');
    expect(deadLettered.properties.messageId).toBe(messageId);
    expect(deadLettered.properties.headers).toMatchObject({
      'x-attempts': 1,
      'x-error': expect.stringMatching(
        /^invalid order\.created payload: total: does not equal the sum of quantity × unitPrice/,
      ) as string,
    });
    await expect(paymentStatus(forged.orderId)).resolves.toEqual({ status: 'PENDING' });
  });

  it('dead-letters a refund asked for a payment that FAILED, refunding nothing', async () => {
    const db = app.get<Database>(DRIZZLE);
    const failed = { id: randomUUID(), orderId: randomUUID(), amount: 700, currency: 'EUR' };
    await db.insert(payments).values({ ...failed, status: 'FAILED', reason: 'card_declined' });
    const request: PaymentRefundRequested = {
      paymentId: failed.id,
      orderId: failed.orderId,
      amount: failed.amount,
      currency: failed.currency,
      reason: 'payment_timeout',
    };
    const messageId = randomUUID();
    await client.publish(EVENTS_EXCHANGE, PaymentRefundRequested.type, request, {
      messageId,
      type: PaymentRefundRequested.type,
      contentType: 'application/json',
    });
    const deadLettered = await client.takeOne('payment.refund-requests.dlq');
    expect(deadLettered.properties.messageId).toBe(messageId);
    // At once: no retry can make a failed payment refundable.
    expect(deadLettered.properties.headers).toMatchObject({
      'x-attempts': 1,
      'x-error': `Payment ${failed.id} FAILED: there is nothing to refund`,
    });
    const [payment] = await db.select().from(payments).where(eq(payments.id, failed.id));
    expect(payment).toMatchObject({ status: 'FAILED', refundedAt: null });
    const events = await db.select().from(outbox).where(eq(outbox.type, 'payment.refunded'));
    expect(events).toEqual([]);
  });
});
