import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import {
  type ChargeRequest,
  type ChargeResult,
  PaymentProvider,
  ProviderCircuitOpenError,
  ProviderUnavailableError,
  type RefundRequest,
  type RefundResult,
} from './payment-provider';

/**
 * When more than half the provider calls (charges and refunds) of the last 30 s failed, once at
 * least 5 were made, the provider is taken for down: for 10 s every call fails fast, then one
 * trial call decides whether it is back.
 */
export const PROVIDER_BREAKER_OPTIONS: CircuitBreaker.Options = {
  timeout: 10_000,
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  rollingCountTimeout: 30_000,
  resetTimeout: 10_000,
};

const errorCode = (error: unknown) => (error as { code?: unknown } | null)?.code;

/**
 * Wraps a provider adapter in a circuit breaker (opossum). While the circuit is open a charge
 * is not attempted: the message waits in a retry queue without using up an attempt, instead of
 * spending its attempts on a provider known to be down. A decline is an answer, not a failure.
 * Charges and refunds go through the one breaker: they fail together when the provider is down.
 */
export class CircuitBreakingPaymentProvider
  extends PaymentProvider
  implements OnApplicationShutdown
{
  private readonly logger = new Logger('PaymentProviderBreaker');
  private readonly inner: PaymentProvider;
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;

  constructor(inner: PaymentProvider, options: CircuitBreaker.Options = PROVIDER_BREAKER_OPTIONS) {
    super();
    this.inner = inner;
    this.breaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), options);
    this.breaker.on('open', () =>
      this.logger.warn('Payment provider circuit OPEN: charges and refunds wait'),
    );
    this.breaker.on('halfOpen', () =>
      this.logger.log('Payment provider circuit half-open: trying one call'),
    );
    this.breaker.on('close', () =>
      this.logger.log('Payment provider circuit closed: charging and refunding again'),
    );
  }

  charge(request: ChargeRequest): Promise<ChargeResult> {
    return this.guarded(() => this.inner.charge(request));
  }

  refund(request: RefundRequest): Promise<RefundResult> {
    return this.guarded(() => this.inner.refund(request));
  }

  private async guarded<T>(call: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(call)) as T;
    } catch (error) {
      if (errorCode(error) === 'EOPENBREAKER') {
        throw new ProviderCircuitOpenError();
      }
      if (errorCode(error) === 'ETIMEDOUT') {
        throw new ProviderUnavailableError('the payment provider did not answer in time');
      }
      throw error;
    }
  }

  /** After the consumers have drained: a handler finishing during shutdown still charges. */
  onApplicationShutdown(): void {
    this.breaker.shutdown();
  }
}
