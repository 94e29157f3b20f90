import type { ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { recordInInbox } from './raw-consumer';
import type { RawTransaction } from './raw-transaction';
import { addToOutbox } from './raw-flow-outbox';
import { RAW_FLOW_AMQP, RAW_FLOW_TABLES as T } from './raw-flow-names';

/** The headers of a message caused by `message` (DESIGN §3). */
export function causedBy(message: ConsumeMessage): Record<string, string> {
  const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
  const correlationId = headers['x-correlation-id'];
  return {
    'x-correlation-id': typeof correlationId === 'string' ? correlationId : randomUUID(),
    'x-causation-id': String(message.properties.messageId),
  };
}

interface OrderCreatedPayload {
  orderId: string;
  currency: string;
  total: number;
}

const INSERT_PAYMENT =
  `insert into ${T.payments} (id, order_id, status, amount, currency, provider_reference) ` +
  `values ($1, $2, 'SUCCEEDED', $3, $4, $5) on conflict (order_id) do nothing returning id`;

/**
 * payment on `order.created`, in one transaction: the inbox row, the payment (charged once per
 * order: the unique order_id), its `payment.succeeded` outbox row. Every bench order is below
 * the decline limit, so the fake provider always approves.
 */
export async function chargeOrder(
  transaction: RawTransaction,
  message: ConsumeMessage,
): Promise<void> {
  const handler = `${RAW_FLOW_AMQP.orderCreated}#order.created`;
  if (!(await recordInInbox(transaction, T.paymentInbox, handler, message))) return;
  const order = JSON.parse(message.content.toString()) as OrderCreatedPayload;
  const paymentId = randomUUID();
  const reference = `fake-${randomUUID()}`;
  const params = [paymentId, order.orderId, order.total, order.currency, reference];
  const inserted = await transaction.query(INSERT_PAYMENT, params);
  if (inserted.rowCount !== 1) return;
  addToOutbox(transaction, T.paymentOutbox, [
    {
      exchange: RAW_FLOW_AMQP.events,
      routingKey: 'payment.succeeded',
      type: 'payment.succeeded',
      payload: { paymentId, orderId: order.orderId, amount: order.total, currency: order.currency },
      headers: causedBy(message),
    },
  ]);
}
