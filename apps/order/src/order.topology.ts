import { EVENTS_EXCHANGE } from '@app/contracts';
import { consumerQueue, defineTopology } from '@app/messaging';
import { OrderNotFoundError } from './orders/order-not-found.error';

/** Everything the order service consumes, and how. Handlers point here; the bindings follow from them. */
export const orderTopology = defineTopology({
  service: 'order',
  queues: {
    paymentResults: consumerQueue({
      name: 'order.payment-results',
      exchange: EVENTS_EXCHANGE,
      prefetch: 10,
      // A payment result for an order that does not exist can never be settled.
      failures: { permanent: [OrderNotFoundError] },
    }),
  },
});
