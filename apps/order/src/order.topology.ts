import { EVENTS_EXCHANGE, PaymentFailed, PaymentSucceeded } from '@app/contracts';
import { bindingsFor, consumerQueue, defineTopology } from '@app/messaging';

/** Everything the order service consumes, and how. Handlers point here; names live nowhere else. */
export const orderTopology = defineTopology({
  service: 'order',
  queues: {
    paymentResults: consumerQueue({
      name: 'order.payment-results',
      bindings: bindingsFor(EVENTS_EXCHANGE, [PaymentSucceeded, PaymentFailed]),
      prefetch: 10,
    }),
  },
});
