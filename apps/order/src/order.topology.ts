import { withFailurePolicies } from '@app/messaging';
import { orderService } from '@app/services';
import { OrderNotFoundError } from './orders/order-not-found.error';
import { PaymentMismatchError } from './orders/settle-order/payment-mismatch.error';

/**
 * What the order service consumes (its queues, in its definition in @app/services) and how its
 * errors fail a message. Handlers point here; the bindings follow from them.
 */
export const orderTopology = withFailurePolicies(orderService.topology, {
  queues: {
    // A payment result for an order that does not exist, or not for its total, can never settle it.
    paymentResults: { permanent: [OrderNotFoundError, PaymentMismatchError] },
    paymentDeadlines: { permanent: [OrderNotFoundError] },
  },
});
