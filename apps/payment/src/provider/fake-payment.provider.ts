import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import type { PaymentConfig } from '../payment.config';
import {
  type ChargeRequest,
  type ChargeResult,
  PaymentProvider,
  ProviderUnavailableError,
  type RefundRequest,
  type RefundResult,
} from './payment-provider';

export const AMOUNT_LIMIT_EXCEEDED = 'amount_limit_exceeded';

/** How many idempotency keys the fake remembers, per kind; the oldest are forgotten first. */
const REMEMBERED_KEYS = 10_000;

/**
 * A stand-in provider: declines totals above PAYMENT_DECLINE_ABOVE and fails transiently on a
 * PAYMENT_TRANSIENT_FAILURE_RATE share of charges and refunds. A charge is idempotent per order
 * and a refund per payment, as a real provider's idempotency key makes them: asked again, it
 * answers the first. It remembers its last 10,000 of each, in this process only (a real provider
 * keeps its keys for a day or so, for every caller).
 */
@Injectable()
export class FakePaymentProvider extends PaymentProvider {
  private readonly declineAbove: number;
  private readonly transientFailureRate: number;
  /** Replaceable in unit tests to make the transient failures deterministic. */
  random: () => number = Math.random;
  /** The charges made, by order id, and the refunds, by payment id: their idempotency keys. */
  private readonly charges = new Map<string, ChargeResult>();
  private readonly refunds = new Map<string, RefundResult>();

  constructor(config: ConfigService<PaymentConfig, true>) {
    super();
    this.declineAbove = config.get('PAYMENT_DECLINE_ABOVE', { infer: true });
    this.transientFailureRate = config.get('PAYMENT_TRANSIENT_FAILURE_RATE', { infer: true });
  }

  charge(request: ChargeRequest): Promise<ChargeResult> {
    if (this.failsNow()) return Promise.reject(this.unavailable());
    return Promise.resolve(
      remembered(this.charges, request.orderId, (): ChargeResult =>
        request.amount > this.declineAbove
          ? { outcome: 'declined', reason: AMOUNT_LIMIT_EXCEEDED }
          : { outcome: 'approved', reference: `fake-${randomUUID()}` },
      ),
    );
  }

  refund(request: RefundRequest): Promise<RefundResult> {
    if (this.failsNow()) return Promise.reject(this.unavailable());
    return Promise.resolve(
      remembered(this.refunds, request.paymentId, () => ({
        reference: `fake-refund-${randomUUID()}`,
      })),
    );
  }

  private failsNow(): boolean {
    return this.random() < this.transientFailureRate;
  }

  private unavailable(): ProviderUnavailableError {
    return new ProviderUnavailableError('payment provider is temporarily unavailable');
  }
}

/** The answer first given for `key`, or a new one, remembered; the oldest key goes past the bound. */
function remembered<T>(answers: Map<string, T>, key: string, answer: () => T): T {
  const known = answers.get(key);
  if (known !== undefined) return known;
  const made = answer();
  answers.set(key, made);
  if (answers.size > REMEMBERED_KEYS) answers.delete(answers.keys().next().value as string);
  return made;
}
