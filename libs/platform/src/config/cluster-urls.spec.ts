import { baseConfigSchema, directDatabaseUrl } from './base-config.schema';
import { brokerUrls, envUrlList } from './cluster-urls';

const amqpList = envUrlList(['amqp:', 'amqps:']);

describe('RABBITMQ_URL as a list of cluster nodes', () => {
  it('accepts one URL or several, kept as given, and splits them in order', () => {
    const list = 'amqp://u:p@rabbit-1:5672/v, amqp://u:p@rabbit-2:5672/v,amqp://u:p@rabbit-3/v';
    expect(amqpList.parse(list)).toBe(list);
    expect(brokerUrls(list)).toEqual([
      'amqp://u:p@rabbit-1:5672/v',
      'amqp://u:p@rabbit-2:5672/v',
      'amqp://u:p@rabbit-3/v',
    ]);
    expect(brokerUrls('amqp://localhost')).toEqual(['amqp://localhost']);
  });

  it.each(['amqp://a,http://b', 'amqp://a,,', ',', 'amqp://a, not a url'])(
    'rejects "%s"',
    (value) => {
      expect(amqpList.safeParse(value).error?.issues[0]?.message).toMatch(
        /comma-separated list of them/,
      );
    },
  );

  it('names the node whose URL is unusable', () => {
    expect(amqpList.safeParse('amqp://u:p@n1/v,amqp:/n2/v').error?.issues[0]?.message).toBe(
      'node 2 of 2 must be a URL starting with amqp:// or amqps://, or a comma-separated list of them',
    );
    expect(amqpList.safeParse('amqp://u:p%@n1/v').error?.issues[0]?.message).toMatch(
      /^has a % that is not the start of an escape/,
    );
  });

  it.each([
    ['another user', 'amqp://a:p@n1/v,amqp://b:p@n2/v'],
    ['another password', 'amqp://a:p@n1/v,amqp://a:q@n2/v'],
    ['another virtual host', 'amqp://a:p@n1/v,amqp://a:p@n2/w'],
    ['TLS on one node only', 'amqps://a:p@n1/v,amqp://a:p@n2/v'],
  ])('rejects nodes with %s', (_, value) => {
    expect(amqpList.safeParse(value).error?.issues[0]?.message).toBe(
      'the nodes of one cluster must share protocol (amqp:// or amqps://), user, password and virtual host',
    );
  });

  it.each([
    ['the default virtual host named or not', 'amqp://a:p@n1,amqp://a:p@n2/,amqp://a:p@n3/%2F'],
    ['a user written escaped or not', 'amqp://ops%2Dteam:p@n1/v,amqp://ops-team:p@n2/v'],
  ])('accepts nodes naming %s', (_, value) => {
    expect(amqpList.safeParse(value).success).toBe(true);
  });
});

describe('cluster settings of the base schema', () => {
  const schema = baseConfigSchema({ port: 3000, serviceName: 'order' });

  it('leaves the quorum group size and the direct database URL unset by default', () => {
    const config = schema.parse({});
    expect(config.QUORUM_INITIAL_GROUP_SIZE).toBeUndefined();
    expect(config.DATABASE_DIRECT_URL).toBeUndefined();
  });

  it('reads a quorum group size between 1 and 7', () => {
    expect(schema.parse({ QUORUM_INITIAL_GROUP_SIZE: '3' }).QUORUM_INITIAL_GROUP_SIZE).toBe(3);
    for (const bad of ['0', '8', 'three']) {
      expect(schema.safeParse({ QUORUM_INITIAL_GROUP_SIZE: bad }).success).toBe(false);
    }
  });

  it('takes a PostgreSQL URL for direct (session) connections', () => {
    const direct = 'postgres://app@db-primary:5432/app';
    expect(schema.parse({ DATABASE_DIRECT_URL: direct }).DATABASE_DIRECT_URL).toBe(direct);
    expect(schema.safeParse({ DATABASE_DIRECT_URL: 'amqp://db' }).success).toBe(false);
  });
});

describe('directDatabaseUrl', () => {
  const DATABASE_URL = 'postgres://app@pooler:6432/app';

  it('is DATABASE_DIRECT_URL when set, DATABASE_URL when unset or empty', () => {
    const direct = 'postgres://app@primary:5432/app';
    expect(directDatabaseUrl({ DATABASE_URL, DATABASE_DIRECT_URL: direct })).toBe(direct);
    expect(directDatabaseUrl({ DATABASE_URL, DATABASE_DIRECT_URL: undefined })).toBe(DATABASE_URL);
    expect(directDatabaseUrl({ DATABASE_URL, DATABASE_DIRECT_URL: '' })).toBe(DATABASE_URL);
  });
});
