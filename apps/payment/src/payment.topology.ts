import { EVENTS_EXCHANGE, GetPaymentByOrder, OrderCreated, RPC_EXCHANGE } from '@app/contracts';
import { bindingsFor, consumerQueue, defineTopology, rpcQueue } from '@app/messaging';
import { ProviderCircuitOpenError } from './provider/payment-provider';

/** Everything the payment service consumes, and how. Handlers point here; names live nowhere else. */
export const paymentTopology = defineTopology({
  service: 'payment',
  queues: {
    /** A work queue: payment replicas compete for the orders to charge. */
    orderCreated: consumerQueue({
      name: 'payment.order-created',
      bindings: bindingsFor(EVENTS_EXCHANGE, [OrderCreated]),
      prefetch: 10,
      // While the provider's circuit is open, orders wait without using up their attempts.
      failures: { defer: [ProviderCircuitOpenError] },
    }),
    paymentByOrder: rpcQueue({
      name: 'payment.get-by-order',
      binding: { exchange: RPC_EXCHANGE, routingKey: GetPaymentByOrder.routingKey },
      prefetch: 20,
    }),
  },
});
