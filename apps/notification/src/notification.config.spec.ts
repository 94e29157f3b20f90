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
      NOTIFICATION_UNDELIVERABLE_CHANNELS: [],
    });
  });

  it('reads the undeliverable channels as a list', () => {
    expect(
      validateNotificationConfig({ NOTIFICATION_UNDELIVERABLE_CHANNELS: ' sms , email' }),
    ).toMatchObject({ NOTIFICATION_UNDELIVERABLE_CHANNELS: ['sms', 'email'] });
  });

  it('reads the failure rate from the environment string', () => {
    expect(
      validateNotificationConfig({ NOTIFICATION_TRANSIENT_FAILURE_RATE: '0.5' }),
    ).toMatchObject({ NOTIFICATION_TRANSIENT_FAILURE_RATE: 0.5 });
  });

  it.each([
    ['NOTIFICATION_TRANSIENT_FAILURE_RATE', 'x'],
    ['NOTIFICATION_TRANSIENT_FAILURE_RATE', '1.5'],
    ['NOTIFICATION_UNDELIVERABLE_CHANNELS', 'fax'],
    ['NOTIFICATION_UNDELIVERABLE_CHANNELS', 'sms,,email'],
    ['NOTIFICATION_UNDELIVERABLE_CHANNELS', 'sms,sms'],
    ['PORT', '70000'],
  ])('stops on %s=%s with a message naming the variable', (name, value) => {
    expect(problemsOf({ [name]: value })).toEqual([
      expect.stringMatching(new RegExp(`^${name}: `)),
    ]);
  });
});
