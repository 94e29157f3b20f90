import {
  EVENTS_EXCHANGE,
  GetPaymentByOrder,
  OrderCancelled,
  OrderCreated,
  OrderPaid,
  PaymentDeadline,
  PaymentRefundRequested,
} from '@app/contracts';
import { consumerQueue } from '@app/messaging';
import { defineService } from './service-definition';

const PAYMENT_DEADLINES = 'order.payment-deadlines';

/**
 * Takes orders over HTTP, settles them from payment's results or their payment deadline, asks
 * payment over RPC, and asks for a refund of a payment that came after the deadline.
 */
export const orderService = defineService({
  name: 'order',
  port: 3000,
  // `order` is a reserved word, hence `orders`.
  database: { schema: 'orders', tables: { orders: 'orders', idempotencyKeys: 'idempotency_keys' } },
  queues: {
    paymentResults: consumerQueue({
      name: 'order.payment-results',
      exchange: EVENTS_EXCHANGE,
      prefetch: 10,
    }),
    /** Each order's payment deadline, a scheduled message order sends itself. */
    paymentDeadlines: consumerQueue({ name: PAYMENT_DEADLINES, prefetch: 5 }),
  },
  publishes: {
    events: [OrderCreated, OrderPaid, OrderCancelled, PaymentRefundRequested],
    requests: [GetPaymentByOrder],
    jobs: [{ contract: PaymentDeadline, queue: PAYMENT_DEADLINES }],
  },
  broker: { passwordVariable: 'ORDER_RABBITMQ_PASSWORD' },
  // Its first order.created must find payment's and notification's queues bound.
  startsAfter: ['payment', 'notification'],
});
