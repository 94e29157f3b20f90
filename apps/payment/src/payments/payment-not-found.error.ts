/**
 * A refund asked for a payment this service never made, or for one of another order than the
 * request names: no retry can change that.
 */
export class PaymentNotFoundError extends Error {
  constructor(
    readonly paymentId: string,
    orderId?: string,
  ) {
    super(
      orderId === undefined
        ? `Payment ${paymentId} does not exist`
        : `Payment ${paymentId} is not a payment for order ${orderId}`,
    );
    this.name = 'PaymentNotFoundError';
  }
}
