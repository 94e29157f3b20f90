import { deadLetterQueueName, MessageHeaders } from '@app/messaging';
import { type AmqpTestClient, waitFor } from '@app/testing';
import type { GetMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import request from 'supertest';
import { anOrder, type Stack } from '../../support/stack';

export const PAYMENT_DLQ = deadLetterQueueName('payment.order-created');
export const NOTIFICATION_DLQ = deadLetterQueueName('notification.order-events');
export const RPC_DLQ = deadLetterQueueName('payment.get-by-order');

/** A valid order.created as another client would publish it. */
export function orderCreated(orderId = randomUUID()) {
  const items = [{ sku: 'mug', quantity: 2, unitPrice: 2100 }];
  return {
    orderId,
    customerId: 'hostile',
    currency: 'EUR',
    total: 4200,
    items,
    createdAt: new Date().toISOString(),
  };
}

export const errorOf = (message: GetMessage) =>
  String(message.properties.headers?.[MessageHeaders.error]);

/**
 * What the hostile probes ask of the three services as processes: where a hostile message
 * ended, and that the services still publish on the first attempt after it.
 */
export class ServiceProbes {
  constructor(
    private readonly stack: Stack,
    private readonly client: AmqpTestClient,
    private readonly db: Client,
  ) {}

  /** The one payment of an order published by the test, once payment has made it. */
  charged(orderId: string): Promise<object> {
    return this.stack.explained(
      waitFor(
        async () => {
          const response = await request(this.stack.payments[0].url).get(
            `/payments?orderId=${orderId}`,
          );
          return response.body.length === 1 ? (response.body[0] as object) : undefined;
        },
        { description: `order ${orderId} to be charged` },
      ),
    );
  }

  /** One copy in each consumer's DLQ, and no more once the next order has gone through. */
  async oneCopyInEachDlq(): Promise<{ payment: GetMessage; notification: GetMessage }> {
    const payment = await this.stack.explained(this.client.takeOne(PAYMENT_DLQ));
    const notification = await this.stack.explained(this.client.takeOne(NOTIFICATION_DLQ));
    await this.nextOrderPublishesFirstTime();
    expect(await this.client.messageCount(PAYMENT_DLQ)).toBe(0);
    expect(await this.client.messageCount(NOTIFICATION_DLQ)).toBe(0);
    return { payment, notification };
  }

  /** An order through HTTP: paid, its events all published by the relay at the first attempt. */
  async nextOrderPublishesFirstTime(): Promise<void> {
    const { body } = await this.stack.placeOrder(anOrder());
    const settled = await this.stack.settledOrder(body.id);
    expect(settled.body.status).toBe('PAID');
    expect(await this.publishedFirstTime(body.id, 3)).toEqual(
      ['order.created', 'order.paid', 'payment.succeeded'].map((type) => ({ type, attempts: 0 })),
    );
  }

  /**
   * The outbox rows of an order, in every service, once `count` of them are sent: each sent by
   * the relay at its first attempt (a failed one counts in `attempts`), no confirm missed.
   */
  async publishedFirstTime(
    orderId: string,
    count: number,
  ): Promise<{ type: string; attempts: number }[]> {
    const rows = await this.stack.explained(
      waitFor(
        async () => {
          const { rows: sent } = await this.db.query<{ type: string; attempts: number }>(
            `select type, attempts from (
               select type, attempts, sent_at, payload from orders.outbox
               union all select type, attempts, sent_at, payload from payments.outbox
             ) rows where payload->>'orderId' = $1 and sent_at is not null order by type`,
            [orderId],
          );
          return sent.length >= count ? sent : undefined;
        },
        { description: `${count} event(s) of order ${orderId} published` },
      ),
    );
    for (const service of this.stack.services) {
      expect(service.logs.join('\n')).not.toMatch(/no confirm from the broker/);
    }
    return rows;
  }
}
