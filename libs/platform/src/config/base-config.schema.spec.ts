import { baseConfigSchema, envInteger, envRate, envUrl } from './base-config.schema';

const schema = baseConfigSchema({ port: 3000, serviceName: 'order' });

describe('RETRY_DELAYS_MS', () => {
  const parse = (value: string) => schema.safeParse({ RETRY_DELAYS_MS: value });

  it.each([
    ['100, 200', [100, 200]],
    ['1000,5000,25000', [1000, 5000, 25000]],
    [' 250 ', [250]],
  ])('reads "%s" as %j', (value, expected) => {
    expect(parse(value)).toMatchObject({ success: true, data: { RETRY_DELAYS_MS: expected } });
  });

  it.each([
    '0',
    '100,0',
    'a,b',
    '100,',
    '-5',
    '1.5',
    '100;200',
    '86400001',
    '1,2,3,4,5,6,7,8,9,10,11',
  ])('rejects "%s"', (value) => {
    const result = parse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['RETRY_DELAYS_MS']);
  });
});

describe('environment value parsers', () => {
  it('accepts whole numbers only, within the given range', () => {
    const port = envInteger({ min: 0, max: 65535 });
    expect(port.parse('0')).toBe(0);
    expect(port.parse('65535')).toBe(65535);
    for (const bad of ['abc', '1.5', '1e3', '65536', '-1', '0x10']) {
      expect(port.safeParse(bad).success).toBe(false);
    }
  });

  it('names one bound for a number past the safe integers, the setting’s own', () => {
    const timeout = envInteger({ min: 0, max: 600_000 }).safeParse('99999999999999999999');
    expect(timeout.error?.issues.map((issue) => issue.message)).toEqual([
      expect.stringMatching(/<=600000$/),
    ]);
    const unbounded = envInteger().safeParse('99999999999999999999');
    expect(unbounded.error?.issues).toHaveLength(1);
  });

  it('accepts rates between 0 and 1', () => {
    expect(envRate().parse('0.25')).toBe(0.25);
    expect(envRate().parse('1')).toBe(1);
    for (const bad of ['1.5', '-0.1', 'half', '.5']) {
      expect(envRate().safeParse(bad).success).toBe(false);
    }
  });

  it('accepts URLs with one of the allowed protocols only', () => {
    const amqp = envUrl(['amqp:', 'amqps:']);
    expect(amqp.parse('amqps://user:pw@rabbit:5671/vhost')).toBe(
      'amqps://user:pw@rabbit:5671/vhost',
    );
    expect(amqp.safeParse('http://rabbit:15672').success).toBe(false);
    expect(amqp.safeParse('rabbit:5672').success).toBe(false);
    expect(amqp.safeParse('not a url').success).toBe(false);
  });

  it.each([
    ['amqp:/rabbit:5672', /^must be a URL starting with amqp:\/\//],
    ['amqp:rabbit', /^must be a URL starting with amqp:\/\//],
    ['amqp://', /^names no host/],
    ['amqp:///shop?host=rabbit', /^names no host/],
    ['amqp://guest:50%off@rabbit', /^has a % that is not the start of an escape/],
    ['amqp://guest:guest@rabbit/%zz', /^has a % that is not the start of an escape/],
    ['amqp://rabbit:0', /^names port 0/],
    ['amqp://app:p%C3%A4ss@rabbit', /^has a user or password that is not ASCII/],
    ['amqp://app:päss@rabbit', /^has a user or password that is not ASCII/],
    ['amqp://%C3%A4pp:pass@rabbit', /^has a user or password that is not ASCII/],
  ])('refuses %s, which the client would misread or fail on at connect time', (value, why) => {
    const amqp = envUrl(['amqp:']);
    expect(amqp.safeParse(value).error?.issues[0]?.message).toMatch(why);
  });

  it('takes escapes, and the PostgreSQL URLs pg reads: a bare %, a socket named in the query', () => {
    const postgres = envUrl(['postgres:']);
    const urls = [
      'postgres://app:50%25off@db/app',
      'postgres://app:50%off@db/app',
      'postgres:///app?host=/run/postgresql',
    ];
    for (const url of urls) {
      expect(postgres.parse(url)).toBe(url);
    }
  });

  it('refuses port 0 in a PostgreSQL URL too, which pg would try to connect to', () => {
    expect(
      envUrl(['postgres:']).safeParse('postgres://db:0/app').error?.issues[0]?.message,
    ).toMatch(/^names port 0/);
  });

  it('logs JSON lines unless LOG_FORMAT asks for pretty ones', () => {
    expect(schema.parse({}).LOG_FORMAT).toBe('json');
    expect(schema.parse({ LOG_FORMAT: 'pretty' }).LOG_FORMAT).toBe('pretty');
    expect(schema.safeParse({ LOG_FORMAT: 'yaml' }).error?.issues[0]?.path).toEqual(['LOG_FORMAT']);
  });

  it('rejects an unknown LOG_LEVEL and an out-of-range RPC_TIMEOUT_MS', () => {
    expect(schema.safeParse({ LOG_LEVEL: 'verbose' }).success).toBe(false);
    expect(schema.safeParse({ RPC_TIMEOUT_MS: '0' }).success).toBe(false);
    expect(schema.safeParse({ SHUTDOWN_TIMEOUT_MS: '0' }).success).toBe(true);
  });
});

describe('QUEUE_MAX_LENGTH', () => {
  it('defaults to 100000 and takes a whole number of 1 or more', () => {
    expect(schema.parse({}).QUEUE_MAX_LENGTH).toBe(100_000);
    expect(schema.parse({ QUEUE_MAX_LENGTH: '5' }).QUEUE_MAX_LENGTH).toBe(5);
    for (const value of ['0', '-1', '1.5', 'lots']) {
      expect(schema.safeParse({ QUEUE_MAX_LENGTH: value }).error?.issues[0]?.path).toEqual([
        'QUEUE_MAX_LENGTH',
      ]);
    }
  });
});

describe('EVENT_LOG_MAX_AGE', () => {
  it('defaults to 7D and takes a number with a unit RabbitMQ knows', () => {
    expect(schema.parse({}).EVENT_LOG_MAX_AGE).toBe('7D');
    for (const value of ['30D', '1Y', '12h', '90m', '3600s', '2M']) {
      expect(schema.parse({ EVENT_LOG_MAX_AGE: value }).EVENT_LOG_MAX_AGE).toBe(value);
    }
  });

  it.each(['7', 'D', '0D', '7d', '7 D', '1.5D', '7W', '101Y', '1300M'])('rejects "%s"', (value) => {
    const result = schema.safeParse({ EVENT_LOG_MAX_AGE: value });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['EVENT_LOG_MAX_AGE']]);
  });
});

describe('the retention settings', () => {
  it.each(['OUTBOX_RETENTION_HOURS', 'INBOX_RETENTION_HOURS', 'WORKFLOW_RETENTION_HOURS'])(
    '%s takes up to a hundred years, which the pruners can subtract from now()',
    (name) => {
      expect(schema.parse({ [name]: '876000' })[name as 'INBOX_RETENTION_HOURS']).toBe(876_000);
      expect(schema.safeParse({ [name]: '876001' }).error?.issues[0]?.path).toEqual([name]);
    },
  );
});
