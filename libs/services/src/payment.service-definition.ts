import {
  EVENTS_EXCHANGE,
  GetPaymentByOrder,
  PaymentFailed,
  PaymentRefunded,
  PaymentSucceeded,
  RPC_EXCHANGE,
} from '@app/contracts';
import { consumerQueue, rpcQueue } from '@app/messaging';
import { defineService } from './service-definition';

/**
 * Charges each new order through its provider, refunds a payment order asks to give back, and
 * answers payment look-ups over RPC.
 */
export const paymentService = defineService({
  name: 'payment',
  port: 3001,
  database: { schema: 'payments', tables: { payments: 'payments' } },
  queues: {
    /** A work queue: payment replicas compete for the orders to charge. */
    orderCreated: consumerQueue({
      name: 'payment.order-created',
      exchange: EVENTS_EXCHANGE,
      prefetch: 10,
    }),
    /** A work queue: payment replicas compete for the refunds to make. */
    refundRequests: consumerQueue({
      name: 'payment.refund-requests',
      exchange: EVENTS_EXCHANGE,
      prefetch: 5,
    }),
    paymentByOrder: rpcQueue({
      name: 'payment.get-by-order',
      binding: { exchange: RPC_EXCHANGE, routingKey: GetPaymentByOrder.routingKey },
      prefetch: 20,
    }),
  },
  publishes: { events: [PaymentSucceeded, PaymentFailed, PaymentRefunded] },
  broker: { passwordVariable: 'PAYMENT_RABBITMQ_PASSWORD' },
});
