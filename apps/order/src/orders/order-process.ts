import type { OrderStatus } from '../db/order.tables';

/**
 * The order as a small process manager. An order starts PENDING, waiting for its payment, with a
 * deadline (ORDER_PAYMENT_TIMEOUT_MS, a scheduled message order sends itself when it places the
 * order). Whichever comes first settles it, once:
 *
 * | state     | payment.succeeded          | payment.failed      | payment deadline            |
 * | --------- | -------------------------- | ------------------- | --------------------------- |
 * | PENDING   | → PAID, order.paid         | → CANCELLED (its reason), order.cancelled | → CANCELLED (payment_timeout), order.cancelled |
 * | PAID      | nothing                    | nothing             | nothing                     |
 * | CANCELLED | payment.refund-requested   | nothing             | nothing                     |
 *
 * A payment result that settles the order cancels its deadline in the same transaction, so a
 * settled order leaves no deadline waiting in the outbox. A payment that arrives after the order
 * was cancelled is given back (compensation), and the order stays CANCELLED. A payment.succeeded
 * for another amount than the order's total settles nothing (PaymentMismatchError). The move out of PENDING is one conditional update, so a payment and the
 * deadline arriving together cannot both win.
 */
export type OrderProcessEvent =
  | { kind: 'payment-succeeded' }
  | { kind: 'payment-failed'; reason: string }
  | { kind: 'payment-deadline' };

/** The move out of PENDING that an event makes. */
export type OrderSettlement =
  { kind: 'settle'; status: 'PAID' } | { kind: 'settle'; status: 'CANCELLED'; reason: string };

export type OrderProcessStep = OrderSettlement | { kind: 'refund' } | { kind: 'nothing' };

export const PAYMENT_TIMEOUT_REASON = 'payment_timeout';
/** Why order asks for a refund: the payment came for an order already cancelled. */
export const REFUND_REASON = 'order_cancelled';
/** Why order asks back a payment of another amount or currency than the order's total. */
export const MISMATCH_REFUND_REASON = 'payment_mismatch';

/** What an event does to a PENDING order: each of them settles it. */
export function settlementOf(event: OrderProcessEvent): OrderSettlement {
  switch (event.kind) {
    case 'payment-succeeded':
      return { kind: 'settle', status: 'PAID' };
    case 'payment-failed':
      return { kind: 'settle', status: 'CANCELLED', reason: event.reason };
    case 'payment-deadline':
      return { kind: 'settle', status: 'CANCELLED', reason: PAYMENT_TIMEOUT_REASON };
  }
}

/** What an event does to an order in `status`: the table above, as code. */
export function nextStep(status: OrderStatus, event: OrderProcessEvent): OrderProcessStep {
  if (status === 'PENDING') return settlementOf(event);
  if (status === 'CANCELLED' && event.kind === 'payment-succeeded') return { kind: 'refund' };
  return { kind: 'nothing' };
}
