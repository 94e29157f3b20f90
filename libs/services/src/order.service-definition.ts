import {
  EVENTS_EXCHANGE,
  GetPaymentByOrder,
  OrderCancelled,
  OrderCreated,
  OrderPaid,
} from '@app/contracts';
import { consumerQueue } from '@app/messaging';
import { defineService } from './service-definition';

/** Takes orders over HTTP, settles them from payment's results, asks payment over RPC. */
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
  },
  publishes: { events: [OrderCreated, OrderPaid, OrderCancelled], requests: [GetPaymentByOrder] },
  broker: { passwordVariable: 'ORDER_RABBITMQ_PASSWORD' },
  // Its first order.created must find payment's and notification's queues bound.
  startsAfter: ['payment', 'notification'],
});
