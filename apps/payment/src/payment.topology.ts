import { EVENTS_EXCHANGE, GetPaymentByOrder, RPC_EXCHANGE } from '@app/contracts';
import { consumerQueue, defineTopology, rpcQueue } from '@app/messaging';
import { ProviderCircuitOpenError } from './provider/payment-provider';

/** Everything the payment service consumes, and how. Handlers point here; the bindings follow from them. */
export const paymentTopology = defineTopology({
  service: 'payment',
  queues: {
    /** A work queue: payment replicas compete for the orders to charge. */
    orderCreated: consumerQueue({
      name: 'payment.order-created',
      exchange: EVENTS_EXCHANGE,
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
