/**
 * A refund asked for a payment that FAILED: order asks only for payments it was told succeeded,
 * so the request is forged or the two services disagree, which no retry can change and someone
 * must look at.
 */
export class PaymentNotRefundableError extends Error {
  constructor(readonly paymentId: string) {
    super(`Payment ${paymentId} FAILED: there is nothing to refund`);
    this.name = 'PaymentNotRefundableError';
  }
}
