import { ConfigValidationError } from '@app/platform';
import { validatePaymentConfig } from './payment.config';

/** The one-line-per-variable problems boot would stop with; fails the test if none. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    validatePaymentConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('payment config', () => {
  it('defaults to port 3001, a decline limit of 1000000 and no transient failures', () => {
    expect(validatePaymentConfig({})).toMatchObject({
      PORT: 3001,
      OTEL_SERVICE_NAME: 'payment',
      PAYMENT_DECLINE_ABOVE: 1_000_000,
      PAYMENT_TRANSIENT_FAILURE_RATE: 0,
    });
  });

  it('reads the payment knobs from the environment strings', () => {
    expect(
      validatePaymentConfig({ PAYMENT_DECLINE_ABOVE: '0', PAYMENT_TRANSIENT_FAILURE_RATE: '0.25' }),
    ).toMatchObject({ PAYMENT_DECLINE_ABOVE: 0, PAYMENT_TRANSIENT_FAILURE_RATE: 0.25 });
    expect(validatePaymentConfig({ PAYMENT_TRANSIENT_FAILURE_RATE: '1' })).toMatchObject({
      PAYMENT_TRANSIENT_FAILURE_RATE: 1,
    });
  });

  it.each([
    ['PAYMENT_TRANSIENT_FAILURE_RATE', '2'],
    ['PAYMENT_TRANSIENT_FAILURE_RATE', '-0.1'],
    ['PAYMENT_TRANSIENT_FAILURE_RATE', 'often'],
    ['PAYMENT_DECLINE_ABOVE', '-1'],
    ['PAYMENT_DECLINE_ABOVE', '10.5'],
    ['PAYMENT_DECLINE_ABOVE', 'lots'],
    ['PORT', '70000'],
  ])('stops on %s=%s with a message naming the variable', (name, value) => {
    expect(problemsOf({ [name]: value })).toEqual([
      expect.stringMatching(new RegExp(`^${name}: `)),
    ]);
  });
});
