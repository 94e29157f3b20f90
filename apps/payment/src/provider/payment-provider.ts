export interface ChargeRequest {
  /**
   * Also the idempotency key to hand a real provider: a charge whose transaction fails to
   * commit is retried, and the provider must not charge the order twice.
   */
  orderId: string;
  amount: number;
  currency: string;
}

/** Gives a charge back; `paymentId` is the idempotency key: a repeated refund refunds once. */
export interface RefundRequest {
  paymentId: string;
  /** The provider's reference of the charge. */
  chargeReference: string;
  amount: number;
  currency: string;
}

export interface RefundResult {
  reference: string;
}

export type ChargeResult =
  { outcome: 'approved'; reference: string } | { outcome: 'declined'; reason: string };

/** The provider was unreachable or failed for a reason worth retrying. */
export class ProviderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}

/** The provider is taken for down (its circuit is open): no charge was attempted. */
export class ProviderCircuitOpenError extends Error {
  constructor() {
    super('the payment provider circuit is open');
    this.name = 'ProviderCircuitOpenError';
  }
}

/**
 * The port to a payment provider. A decline is an answer, not an error; a transient failure
 * throws ProviderUnavailableError. Replace the fake adapter with a real one here.
 */
export abstract class PaymentProvider {
  abstract charge(request: ChargeRequest): Promise<ChargeResult>;
  abstract refund(request: RefundRequest): Promise<RefundResult>;
}
