import { ConfigValidationError } from '@app/platform';
import { validateNotificationConfig } from './notification.config';

/** The one-line-per-variable problems boot would stop with; fails the test if none. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    validateNotificationConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('notification config', () => {
  it('defaults to port 3002 and no transient failures', () => {
    expect(validateNotificationConfig({})).toMatchObject({
      PORT: 3002,
      OTEL_SERVICE_NAME: 'notification',
      NOTIFICATION_TRANSIENT_FAILURE_RATE: 0,
    });
  });

  it('reads the failure rate from the environment string', () => {
    expect(
      validateNotificationConfig({ NOTIFICATION_TRANSIENT_FAILURE_RATE: '0.5' }),
    ).toMatchObject({ NOTIFICATION_TRANSIENT_FAILURE_RATE: 0.5 });
  });

  it.each([
    ['NOTIFICATION_TRANSIENT_FAILURE_RATE', 'x'],
    ['NOTIFICATION_TRANSIENT_FAILURE_RATE', '1.5'],
    ['PORT', '70000'],
  ])('stops on %s=%s with a message naming the variable', (name, value) => {
    expect(problemsOf({ [name]: value })).toEqual([
      expect.stringMatching(new RegExp(`^${name}: `)),
    ]);
  });
});
