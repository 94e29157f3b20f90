/** A completion job names an order whose confirmation was never sent. */
export class ConfirmationNotFoundError extends Error {
  constructor(readonly orderId: string) {
    super(`order ${orderId} has no confirmation`);
    this.name = 'ConfirmationNotFoundError';
  }
}
