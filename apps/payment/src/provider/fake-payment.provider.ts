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

/**
 * A stand-in provider: declines totals above PAYMENT_DECLINE_ABOVE and fails transiently on a
 * PAYMENT_TRANSIENT_FAILURE_RATE share of charges and refunds. A refund is idempotent per
 * payment, as a real provider's idempotency key makes it: asked again, it answers the first.
 */
@Injectable()
export class FakePaymentProvider extends PaymentProvider {
  private readonly declineAbove: number;
  private readonly transientFailureRate: number;
  /** Replaceable in unit tests to make the transient failures deterministic. */
  random: () => number = Math.random;
  /** The refunds made, by payment id (what a real provider keeps per idempotency key). */
  private readonly refunds = new Map<string, RefundResult>();

  constructor(config: ConfigService<PaymentConfig, true>) {
    super();
    this.declineAbove = config.get('PAYMENT_DECLINE_ABOVE', { infer: true });
    this.transientFailureRate = config.get('PAYMENT_TRANSIENT_FAILURE_RATE', { infer: true });
  }

  charge(request: ChargeRequest): Promise<ChargeResult> {
    if (this.failsNow()) return Promise.reject(this.unavailable());
    if (request.amount > this.declineAbove) {
      return Promise.resolve({ outcome: 'declined', reason: AMOUNT_LIMIT_EXCEEDED });
    }
    return Promise.resolve({ outcome: 'approved', reference: `fake-${randomUUID()}` });
  }

  refund(request: RefundRequest): Promise<RefundResult> {
    if (this.failsNow()) return Promise.reject(this.unavailable());
    const made = this.refunds.get(request.paymentId) ?? {
      reference: `fake-refund-${randomUUID()}`,
    };
    this.refunds.set(request.paymentId, made);
    return Promise.resolve(made);
  }

  private failsNow(): boolean {
    return this.random() < this.transientFailureRate;
  }

  private unavailable(): ProviderUnavailableError {
    return new ProviderUnavailableError('payment provider is temporarily unavailable');
  }
}
