/** A refund asked for a payment this service never made: no retry can change that. */
export class PaymentNotFoundError extends Error {
  constructor(readonly paymentId: string) {
    super(`Payment ${paymentId} does not exist`);
    this.name = 'PaymentNotFoundError';
  }
}
