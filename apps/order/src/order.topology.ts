import { EVENTS_EXCHANGE, PaymentFailed, PaymentSucceeded } from '@app/contracts';
import { bindingsFor, consumerQueue, defineTopology } from '@app/messaging';
import { OrderNotFoundError } from './orders/order-not-found.error';

/** Everything the order service consumes, and how. Handlers point here; names live nowhere else. */
export const orderTopology = defineTopology({
  service: 'order',
  queues: {
    paymentResults: consumerQueue({
      name: 'order.payment-results',
      bindings: bindingsFor(EVENTS_EXCHANGE, [PaymentSucceeded, PaymentFailed]),
      prefetch: 10,
      // A payment result for an order that does not exist can never be settled.
      failures: { permanent: [OrderNotFoundError] },
    }),
  },
});
