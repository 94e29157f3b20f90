import type { PaymentSucceeded } from '@app/contracts';
import type { OrderRow } from '../../db/order.tables';

/**
 * A payment for another amount or currency than its order's total: it does not pay the order,
 * whoever sent it (a forgery, or a payment service's bug), and no retry changes that.
 */
export class PaymentMismatchError extends Error {
  constructor(payment: PaymentSucceeded, order: Pick<OrderRow, 'id' | 'total' | 'currency'>) {
    super(
      `payment ${payment.paymentId} of ${payment.amount} ${payment.currency} does not pay order ${order.id}, of ${order.total} ${order.currency}`,
    );
    this.name = 'PaymentMismatchError';
  }
}

/** Throws PaymentMismatchError unless `payment` is for exactly the order's total. */
export function assertPaysFor(payment: PaymentSucceeded, order: OrderRow): void {
  if (payment.amount !== order.total || payment.currency !== order.currency) {
    throw new PaymentMismatchError(payment, order);
  }
}
