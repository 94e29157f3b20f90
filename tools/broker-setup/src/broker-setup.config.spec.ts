import { ConfigValidationError } from '@app/platform';
import { SERVICES } from '@app/services';
import { passwordOf, validateBrokerSetupConfig } from './broker-setup.config';

/** Every registered service's password variable, as the tool requires them. */
const passwords: Record<string, string> = Object.fromEntries(
  SERVICES.map((service) => [service.broker.passwordVariable, `${service.name}-password-1`]),
);

function problemsOf(env: Record<string, unknown>): string[] {
  try {
    validateBrokerSetupConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('the broker-setup configuration', () => {
  it("needs only the services' passwords; the rest has local defaults", () => {
    expect(validateBrokerSetupConfig(passwords)).toEqual({
      ...passwords,
      RABBITMQ_MANAGEMENT_URL: 'http://guest:guest@localhost:15672',
      RABBITMQ_VHOST: '/',
      RABBITMQ_USER_PREFIX: '',
    });
  });

  it('names each missing or empty password', () => {
    expect(problemsOf({ ...passwords, PAYMENT_RABBITMQ_PASSWORD: '' })).toEqual([
      'PAYMENT_RABBITMQ_PASSWORD: is required',
    ]);
    expect(problemsOf({}).map((problem) => problem.split(':')[0])).toEqual(
      SERVICES.map((service) => service.broker.passwordVariable),
    );
  });

  it('names a password shorter than 8 characters without echoing it', () => {
    const problems = problemsOf({ ...passwords, NOTIFICATION_RABBITMQ_PASSWORD: 'Sh0rt-x' });
    expect(problems).toEqual(['NOTIFICATION_RABBITMQ_PASSWORD: must be at least 8 characters']);
    expect(problems.join('\n')).not.toContain('Sh0rt-x');
  });

  it.each(['p%41ssword-1', 'pass/word-1', 'pass#word-1', 'pass,word-1', 'us:er@host-1'])(
    'refuses %s, which would change or break the URL it is written into',
    (password) => {
      expect(problemsOf({ ...passwords, ORDER_RABBITMQ_PASSWORD: password })).toEqual([
        expect.stringMatching(/^ORDER_RABBITMQ_PASSWORD: must not hold \/ # \? @ : % ,/),
      ]);
    },
  );

  it.each(['päss-word-1', 'pass word-1'])(
    'refuses %s, which no URL carries as it is',
    (password) => {
      expect(problemsOf({ ...passwords, ORDER_RABBITMQ_PASSWORD: password })).toEqual([
        expect.stringMatching(/^ORDER_RABBITMQ_PASSWORD: must be printable ASCII without spaces/),
      ]);
    },
  );

  it('takes the other printable characters, which reach the broker unchanged', () => {
    const password = 'Ab+cd=ef!*()~';
    expect(validateBrokerSetupConfig({ ...passwords, ORDER_RABBITMQ_PASSWORD: password })).toEqual(
      expect.objectContaining({ ORDER_RABBITMQ_PASSWORD: password }),
    );
  });

  it('names a management URL that is not http(s), without echoing its credentials', () => {
    const problems = problemsOf({
      ...passwords,
      RABBITMQ_MANAGEMENT_URL: 'amqp://admin:Adm1n-Secret@rabbitmq:5672',
    });
    expect(problems).toEqual([
      'RABBITMQ_MANAGEMENT_URL: must be a URL starting with http:// or https://',
    ]);
  });

  it('names a user prefix that would need escaping in an amqp:// URL', () => {
    expect(problemsOf({ ...passwords, RABBITMQ_USER_PREFIX: 'team a/' })).toEqual([
      'RABBITMQ_USER_PREFIX: may hold only letters, digits, dots, dashes and underscores',
    ]);
    expect(
      validateBrokerSetupConfig({ ...passwords, RABBITMQ_USER_PREFIX: 'test-1a2b_' })
        .RABBITMQ_USER_PREFIX,
    ).toBe('test-1a2b_');
  });

  it("refuses a service user that would be the administrator's, who would lose its rights", () => {
    const asOrder = { ...passwords, RABBITMQ_MANAGEMENT_URL: 'http://order:S3cret-admin@mq:15672' };
    const problems = problemsOf(asOrder);
    expect(problems).toEqual([
      expect.stringMatching(
        /^RABBITMQ_USER_PREFIX: gives order the user of RABBITMQ_MANAGEMENT_URL, the administrator/,
      ),
    ]);
    expect(problems.join('\n')).not.toContain('S3cret-admin');
    expect(validateBrokerSetupConfig({ ...asOrder, RABBITMQ_USER_PREFIX: 'app-' })).toBeDefined();
  });

  it('names a management URL that is no URL once, without failing on its user', () => {
    expect(problemsOf({ ...passwords, RABBITMQ_MANAGEMENT_URL: 'not a url' })).toEqual([
      'RABBITMQ_MANAGEMENT_URL: must be a URL starting with http:// or https://',
    ]);
    // The management client would fail on it with "URI malformed", naming no setting.
    expect(problemsOf({ ...passwords, RABBITMQ_MANAGEMENT_URL: 'http://%zz:pw@mq:15672' })).toEqual(
      [
        'RABBITMQ_MANAGEMENT_URL: has a % that is not the start of an escape (%XX): write a literal % as %25',
      ],
    );
  });

  it("hands out each service's own password", () => {
    const config = validateBrokerSetupConfig(passwords);
    expect(passwordOf(config, 'order')).toBe('order-password-1');
    expect(passwordOf(config, 'payment')).toBe('payment-password-1');
    expect(passwordOf(config, 'notification')).toBe('notification-password-1');
  });
});
