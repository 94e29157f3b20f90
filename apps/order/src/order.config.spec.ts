import { ConfigValidationError } from '@app/platform';
import { validateOrderConfig } from './order.config';

/** The one-line-per-variable problems boot would stop with; fails the test if none. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    validateOrderConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('order config', () => {
  it('defaults to port 3000 and the DESIGN §5 defaults', () => {
    expect(validateOrderConfig({})).toEqual({
      RABBITMQ_URL: 'amqp://guest:guest@localhost:5672',
      DATABASE_URL: 'postgres://postgres@localhost:5432/postgres',
      EVENT_LOG_MAX_AGE: '7D',
      QUEUE_MAX_LENGTH: 100000,
      PORT: 3000,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      RPC_TIMEOUT_MS: 2000,
      RETRY_DELAYS_MS: [1000, 5000, 25000],
      SHUTDOWN_TIMEOUT_MS: 10000,
      MAX_MESSAGE_BYTES: 262144,
      ORDER_PAYMENT_TIMEOUT_MS: 900000,
      IDEMPOTENCY_KEY_RETENTION_HOURS: 720,
      OUTBOX_RETENTION_HOURS: 168,
      INBOX_RETENTION_HOURS: 720,
      WORKFLOW_RETENTION_HOURS: 168,
      OUTBOX_MAX_LAG_MS: 60000,
      OTEL_SERVICE_NAME: 'order',
    });
  });

  it('reads values from the environment strings', () => {
    const config = validateOrderConfig({ PORT: '8080', RETRY_DELAYS_MS: '100, 200' });

    expect(config.PORT).toBe(8080);
    expect(config.RETRY_DELAYS_MS).toEqual([100, 200]);
  });

  it('treats an empty variable as unset', () => {
    expect(validateOrderConfig({ PORT: '' }).PORT).toBe(3000);
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', 'abc'],
    ['RPC_TIMEOUT_MS', 'abc'],
    ['RETRY_DELAYS_MS', '1000,soon'],
    ['ORDER_PAYMENT_TIMEOUT_MS', '15 minutes'],
    ['IDEMPOTENCY_KEY_RETENTION_HOURS', '0'],
    ['IDEMPOTENCY_KEY_RETENTION_HOURS', '876001'],
    ['LOG_LEVEL', 'loud'],
  ])('stops on %s=%s with a message naming the variable', (name, value) => {
    expect(problemsOf({ [name]: value })).toEqual([
      expect.stringMatching(new RegExp(`^${name}: `)),
    ]);
  });

  it('names every bad variable at once', () => {
    expect(problemsOf({ PORT: '-1', RPC_TIMEOUT_MS: '0' })).toEqual([
      expect.stringMatching(/^PORT: /),
      expect.stringMatching(/^RPC_TIMEOUT_MS: /),
    ]);
  });

  it('does not echo a bad value back, since it may hold a password', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'mysql://app:s3cret@db/orders' });

    expect(problem).toMatch(/^DATABASE_URL: /);
    expect(problem).not.toContain('s3cret');
  });
});
