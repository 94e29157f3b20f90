import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import type { PaymentConfig } from '../payment.config';
import {
  type ChargeRequest,
  type ChargeResult,
  PaymentProvider,
  ProviderUnavailableError,
} from './payment-provider';

export const AMOUNT_LIMIT_EXCEEDED = 'amount_limit_exceeded';

/**
 * A stand-in provider: declines totals above PAYMENT_DECLINE_ABOVE and fails transiently on a
 * PAYMENT_TRANSIENT_FAILURE_RATE share of charges.
 */
@Injectable()
export class FakePaymentProvider extends PaymentProvider {
  private readonly declineAbove: number;
  private readonly transientFailureRate: number;
  /** Replaceable in unit tests to make the transient failures deterministic. */
  random: () => number = Math.random;

  constructor(config: ConfigService<PaymentConfig, true>) {
    super();
    this.declineAbove = config.get('PAYMENT_DECLINE_ABOVE', { infer: true });
    this.transientFailureRate = config.get('PAYMENT_TRANSIENT_FAILURE_RATE', { infer: true });
  }

  charge(request: ChargeRequest): Promise<ChargeResult> {
    if (this.random() < this.transientFailureRate) {
      return Promise.reject(
        new ProviderUnavailableError('payment provider is temporarily unavailable'),
      );
    }
    if (request.amount > this.declineAbove) {
      return Promise.resolve({ outcome: 'declined', reason: AMOUNT_LIMIT_EXCEEDED });
    }
    return Promise.resolve({ outcome: 'approved', reference: `fake-${randomUUID()}` });
  }
}
