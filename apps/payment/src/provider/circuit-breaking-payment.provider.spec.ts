import { waitFor } from '@app/testing';
import { Logger } from '@nestjs/common';
import {
  CircuitBreakingPaymentProvider,
  PROVIDER_BREAKER_OPTIONS,
} from './circuit-breaking-payment.provider';
import {
  type ChargeRequest,
  type ChargeResult,
  ProviderUnavailableError,
  ProviderCircuitOpenError,
  type RefundRequest,
  type RefundResult,
} from './payment-provider';

const request: ChargeRequest = {
  orderId: '0b8e6a64-1b7c-4e5e-9a1f-3c2d4e5f6a7b',
  amount: 1200,
  currency: 'EUR',
};

function setup() {
  const inner = {
    charge: jest.fn<Promise<ChargeResult>, [ChargeRequest]>(),
    refund: jest.fn<Promise<RefundResult>, [RefundRequest]>(),
  };
  const provider = new CircuitBreakingPaymentProvider(inner, {
    ...PROVIDER_BREAKER_OPTIONS,
    resetTimeout: 50,
  });
  return { inner, provider };
}

describe('CircuitBreakingPaymentProvider', () => {
  let current: CircuitBreakingPaymentProvider | undefined;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    current?.onApplicationShutdown();
    jest.restoreAllMocks();
  });

  const failFiveTimes = async (provider: CircuitBreakingPaymentProvider) => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await expect(provider.charge(request)).rejects.toBeInstanceOf(ProviderUnavailableError);
    }
  };

  it('passes answers through, a decline included, and keeps charging', async () => {
    const { inner, provider } = setup();
    current = provider;
    inner.charge.mockResolvedValue({ outcome: 'declined', reason: 'amount_limit_exceeded' });
    for (let attempt = 0; attempt < 6; attempt += 1) {
      await expect(provider.charge(request)).resolves.toEqual({
        outcome: 'declined',
        reason: 'amount_limit_exceeded',
      });
    }
    expect(inner.charge).toHaveBeenCalledTimes(6);
  });

  it('after repeated failures stops calling the provider and defers the charge', async () => {
    const { inner, provider } = setup();
    current = provider;
    inner.charge.mockRejectedValue(new ProviderUnavailableError('down'));
    await failFiveTimes(provider);
    await expect(provider.charge(request)).rejects.toBeInstanceOf(ProviderCircuitOpenError);
    expect(inner.charge).toHaveBeenCalledTimes(5);
  });

  it('refunds through the same breaker: open after failed charges, a refund waits too', async () => {
    const { inner, provider } = setup();
    current = provider;
    inner.refund.mockResolvedValue({ reference: 'refund-1' });
    const refund = { paymentId: 'p-1', chargeReference: 'ref-1', amount: 1200, currency: 'EUR' };
    inner.charge.mockRejectedValue(new ProviderUnavailableError('down'));
    await failFiveTimes(provider);
    await expect(provider.refund(refund)).rejects.toBeInstanceOf(ProviderCircuitOpenError);
    expect(inner.refund).not.toHaveBeenCalled();
    // Closed again (the trial call succeeds), refunds pass through.
    inner.charge.mockResolvedValue({ outcome: 'approved', reference: 'ref-2' });
    await waitFor(
      () =>
        provider
          .refund(refund)
          .then(() => true)
          .catch(() => false),
      { description: 'the circuit to let a refund through', timeoutMs: 2_000 },
    );
    expect(inner.refund).toHaveBeenCalled();
  });

  it('tries the provider again after the reset timeout and closes when it answers', async () => {
    const { inner, provider } = setup();
    current = provider;
    inner.charge.mockRejectedValue(new ProviderUnavailableError('down'));
    await failFiveTimes(provider);
    inner.charge.mockResolvedValue({ outcome: 'approved', reference: 'ref-1' });
    await waitFor(
      () =>
        provider
          .charge(request)
          .then(() => true)
          .catch(() => false),
      {
        description: 'the circuit to close again',
        timeoutMs: 2_000,
      },
    );
    await expect(provider.charge(request)).resolves.toEqual({
      outcome: 'approved',
      reference: 'ref-1',
    });
  });
});
