import { ConfigService } from '@nestjs/config';
import { type PaymentConfig, validatePaymentConfig } from '../payment.config';
import { AMOUNT_LIMIT_EXCEEDED, FakePaymentProvider } from './fake-payment.provider';
import { ProviderUnavailableError } from './payment-provider';

const ORDER_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** A provider configured as boot would configure it from these environment variables. */
function providerWith(env: Record<string, string> = {}): FakePaymentProvider {
  return new FakePaymentProvider(
    new ConfigService<PaymentConfig, true>(validatePaymentConfig(env)),
  );
}

const charge = (amount: number) => ({ orderId: ORDER_ID, amount, currency: 'EUR' });

describe('FakePaymentProvider', () => {
  it('approves a total within the default limit with a reference', async () => {
    await expect(providerWith().charge(charge(1_000_000))).resolves.toEqual({
      outcome: 'approved',
      reference: expect.stringMatching(/^fake-/),
    });
  });

  it('declines a total above the default limit of 1000000 with amount_limit_exceeded', async () => {
    await expect(providerWith().charge(charge(1_000_001))).resolves.toEqual({
      outcome: 'declined',
      reason: 'amount_limit_exceeded',
    });
    expect(AMOUNT_LIMIT_EXCEEDED).toBe('amount_limit_exceeded');
  });

  it('follows PAYMENT_DECLINE_ABOVE: above declined, equal approved', async () => {
    const provider = providerWith({ PAYMENT_DECLINE_ABOVE: '500' });

    await expect(provider.charge(charge(501))).resolves.toMatchObject({ outcome: 'declined' });
    // Another order: the first one's answer is remembered.
    await expect(
      provider.charge({ ...charge(500), orderId: '5b1e7c3a-9d2f-4e6a-8b0c-1d2e3f4a5b6c' }),
    ).resolves.toMatchObject({ outcome: 'approved' });
  });

  it("charges an order once: asked again for it, it answers the first charge; another order's is its own", async () => {
    const provider = providerWith();
    const first = await provider.charge(charge(100));

    await expect(provider.charge(charge(100))).resolves.toEqual(first);
    const other = { ...charge(100), orderId: '5b1e7c3a-9d2f-4e6a-8b0c-1d2e3f4a5b6c' };
    await expect(provider.charge(other)).resolves.not.toEqual(first);
  });

  it('forgets the oldest of 10,000 remembered charges first', async () => {
    const provider = providerWith();
    const first = await provider.charge(charge(100));
    for (let order = 0; order < 10_000; order += 1) {
      await provider.charge({ ...charge(100), orderId: `order-${order}` });
    }
    await expect(provider.charge(charge(100))).resolves.not.toEqual(first);
  });

  it('fails transiently when the random draw is below PAYMENT_TRANSIENT_FAILURE_RATE', async () => {
    const provider = providerWith({ PAYMENT_TRANSIENT_FAILURE_RATE: '0.3' });
    provider.random = () => 0.29;

    await expect(provider.charge(charge(100))).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('charges normally when the random draw is at or above the rate', async () => {
    const provider = providerWith({ PAYMENT_TRANSIENT_FAILURE_RATE: '0.3' });
    provider.random = () => 0.3;

    await expect(provider.charge(charge(100))).resolves.toMatchObject({ outcome: 'approved' });
  });

  it('fails transiently even for a total it would decline', async () => {
    const provider = providerWith({ PAYMENT_TRANSIENT_FAILURE_RATE: '1' });

    await expect(provider.charge(charge(5_000_000))).rejects.toBeInstanceOf(
      ProviderUnavailableError,
    );
  });

  it('never fails with the default rate of 0, even on a draw of 0', async () => {
    const provider = providerWith();
    provider.random = () => 0;

    await expect(provider.charge(charge(100))).resolves.toMatchObject({ outcome: 'approved' });
  });

  it('always fails with a rate of 1', async () => {
    const provider = providerWith({ PAYMENT_TRANSIENT_FAILURE_RATE: '1' });
    provider.random = () => 0.999999;

    await expect(provider.charge(charge(100))).rejects.toThrow(ProviderUnavailableError);
  });

  it('refunds a payment once: asked again, it answers the first refund', async () => {
    const provider = providerWith();
    const refund = { paymentId: 'p-1', chargeReference: 'fake-1', amount: 100, currency: 'EUR' };
    const first = await provider.refund(refund);
    expect(first.reference).toMatch(/^fake-refund-/);
    await expect(provider.refund(refund)).resolves.toEqual(first);
    await expect(provider.refund({ ...refund, paymentId: 'p-2' })).resolves.not.toEqual(first);
  });

  it('fails a refund transiently like a charge', async () => {
    const provider = providerWith({ PAYMENT_TRANSIENT_FAILURE_RATE: '1' });
    const refund = { paymentId: 'p-1', chargeReference: 'fake-1', amount: 100, currency: 'EUR' };
    await expect(provider.refund(refund)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });
});
