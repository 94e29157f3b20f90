import { z } from 'zod';
import { baseConfigSchema } from './base-config.schema';
import { ConfigValidationError, configValidator, takeConfigNotices } from './validate-config';

const validate = configValidator(baseConfigSchema({ port: 3001, serviceName: 'payment' }));

function problemsOf(env: Record<string, unknown>): string[] {
  try {
    validate(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('configValidator', () => {
  it('applies the documented defaults when the environment is empty', () => {
    expect(validate({})).toEqual({
      RABBITMQ_URL: 'amqp://guest:guest@localhost:5672',
      DATABASE_URL: 'postgres://postgres@localhost:5432/postgres',
      EVENT_LOG_MAX_AGE: '7D',
      QUEUE_MAX_LENGTH: 100000,
      PORT: 3001,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      RPC_TIMEOUT_MS: 2000,
      RETRY_DELAYS_MS: [1000, 5000, 25000],
      SHUTDOWN_TIMEOUT_MS: 10000,
      MAX_MESSAGE_BYTES: 262144,
      OUTBOX_RETENTION_HOURS: 168,
      INBOX_RETENTION_HOURS: 720,
      WORKFLOW_RETENTION_HOURS: 168,
      OUTBOX_MAX_LAG_MS: 60000,
      OTEL_SERVICE_NAME: 'payment',
    });
  });

  it('keeps, for boot to log once, a notice of each variable that nearly names a setting', () => {
    takeConfigNotices();
    validate({ RETRY_DELAY_MS: '100', PATH: '/usr/bin' });
    expect(takeConfigNotices()).toEqual([
      'Ignoring RETRY_DELAY_MS, which is no setting of this service: did you mean RETRY_DELAYS_MS?',
    ]);
    expect(takeConfigNotices()).toEqual([]);
  });

  it('treats empty strings as unset and falls back to the defaults', () => {
    const config = validate({
      PORT: '',
      RPC_TIMEOUT_MS: '',
      RETRY_DELAYS_MS: '',
      DATABASE_URL: '',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    });
    expect(config.PORT).toBe(3001);
    expect(config.RPC_TIMEOUT_MS).toBe(2000);
    expect(config.RETRY_DELAYS_MS).toEqual([1000, 5000, 25000]);
    expect(config.DATABASE_URL).toBe('postgres://postgres@localhost:5432/postgres');
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });

  it('treats blank values as unset too', () => {
    const config = validate({
      PORT: '  ',
      RETRY_DELAYS_MS: '\t',
      OTEL_EXPORTER_OTLP_ENDPOINT: ' ',
    });
    expect(config.PORT).toBe(3001);
    expect(config.RETRY_DELAYS_MS).toEqual([1000, 5000, 25000]);
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });

  it('reads numbers and lists from their environment strings', () => {
    const config = validate({ PORT: '8080', RPC_TIMEOUT_MS: ' 150 ', RETRY_DELAYS_MS: '100, 200' });
    expect(config).toMatchObject({ PORT: 8080, RPC_TIMEOUT_MS: 150, RETRY_DELAYS_MS: [100, 200] });
  });

  it('stops boot with a message naming RPC_TIMEOUT_MS when it is not a number', () => {
    expect(() => validate({ RPC_TIMEOUT_MS: 'abc' })).toThrow(ConfigValidationError);
    expect(() => validate({ RPC_TIMEOUT_MS: 'abc' })).toThrow(/RPC_TIMEOUT_MS/);
    expect(problemsOf({ RPC_TIMEOUT_MS: 'abc' })).toEqual([
      expect.stringMatching(/^RPC_TIMEOUT_MS: /),
    ]);
  });

  it('names every bad variable, in one line', () => {
    const problems = problemsOf({ RPC_TIMEOUT_MS: '1.5', PORT: '70000', LOG_LEVEL: 'loud' });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'LOG_LEVEL',
      'PORT',
      'RPC_TIMEOUT_MS',
    ]);
    expect(() => validate({ RPC_TIMEOUT_MS: '1.5', PORT: '70000' })).toThrow(
      /^Invalid configuration: (PORT|RPC_TIMEOUT_MS): [^\n]*; (PORT|RPC_TIMEOUT_MS): [^\n]*$/,
    );
  });

  it('refuses PORT 0, which would listen on a port no probe or scrape knows', () => {
    expect(problemsOf({ PORT: '0' })).toEqual([expect.stringMatching(/^PORT: .*>=1/)]);
  });

  it('names DATABASE_URL and the expected protocols when the protocol is wrong', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://root@db:3306/shop' })).toEqual([
      'DATABASE_URL: must be a URL starting with postgres:// or postgresql://',
    ]);
  });

  it('never echoes a rejected value, which may hold a password', () => {
    const secret = 'hunter2-S3cret';
    const env = {
      DATABASE_URL: `mysql://admin:${secret}@db:3306/shop`,
      RABBITMQ_URL: `not a url ${secret}`,
      RPC_TIMEOUT_MS: secret,
      RETRY_DELAYS_MS: secret,
      LOG_LEVEL: secret,
      OTEL_EXPORTER_OTLP_ENDPOINT: `ftp://${secret}`,
    };
    expect(() => validate(env)).toThrow(ConfigValidationError);
    expect(() => validate(env)).not.toThrow(new RegExp(secret));
    expect(problemsOf(env)).toHaveLength(6);
  });

  it('keeps the settings of a service schema that extends the base one', () => {
    const schema = baseConfigSchema({ port: 3000, serviceName: 'order' }).extend({
      PAYMENT_DECLINE_ABOVE: z.coerce.number().default(1_000_000),
    });
    const config = configValidator(schema)({ PAYMENT_DECLINE_ABOVE: '5', UNRELATED: 'x' });
    expect(config.PAYMENT_DECLINE_ABOVE).toBe(5);
    expect(config.PORT).toBe(3000);
    expect(config).not.toHaveProperty('UNRELATED');
  });

  it('refuses an event log that outlives the inbox, naming both settings', () => {
    expect(problemsOf({ EVENT_LOG_MAX_AGE: '60D' })).toEqual([
      'INBOX_RETENTION_HOURS: must be at least EVENT_LOG_MAX_AGE (60D, 1440 hours): ' +
        'an event replayed after its inbox row was pruned would be handled again',
    ]);
    expect(problemsOf({ EVENT_LOG_MAX_AGE: '2M', INBOX_RETENTION_HOURS: '1000' })).toHaveLength(1);
    expect(problemsOf({ EVENT_LOG_MAX_AGE: '25h', INBOX_RETENTION_HOURS: '24' })).toHaveLength(1);
  });

  it.each([
    ['the defaults', {}],
    ['a log as long as the inbox', { EVENT_LOG_MAX_AGE: '30D' }],
    ['a longer inbox', { EVENT_LOG_MAX_AGE: '1Y', INBOX_RETENTION_HOURS: '8760' }],
    ['minutes and seconds', { EVENT_LOG_MAX_AGE: '90m', INBOX_RETENTION_HOURS: '2' }],
  ])('takes %s', (_name, env: Record<string, string>) => {
    expect(() => validate(env)).not.toThrow();
  });
});
