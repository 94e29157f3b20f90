import { withFailurePolicies } from '@app/messaging';
import { paymentService } from '@app/services';
import { PaymentNotFoundError } from './payments/payment-not-found.error';
import { PaymentNotRefundableError } from './payments/refund-payment/payment-not-refundable.error';
import { ProviderCircuitOpenError } from './provider/payment-provider';

/**
 * What the payment service consumes (its queues, in its definition in @app/services) and how its
 * errors fail a message. Handlers point here; the bindings follow from them.
 */
export const paymentTopology = withFailurePolicies(paymentService.topology, {
  queues: {
    // While the provider's circuit is open, orders wait without using up their attempts.
    orderCreated: { defer: [ProviderCircuitOpenError] },
    // Refunds wait for the provider the same way; one for an unknown payment, or for one that
    // FAILED, can never succeed.
    refundRequests: {
      defer: [ProviderCircuitOpenError],
      permanent: [PaymentNotFoundError, PaymentNotRefundableError],
    },
  },
});
