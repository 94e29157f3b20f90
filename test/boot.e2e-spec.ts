import { SERVICE_NAMES } from '@app/services';
import { type Isolation, isolate, ServiceProcess, waitFor } from '@app/testing';

describe('Booting', () => {
  let isolation: Isolation | undefined;

  beforeAll(async () => {
    isolation = await isolate('boot');
  });

  afterAll(async () => {
    await isolation?.dispose();
  });

  it.each(SERVICE_NAMES)(
    'starts %s and names its port and the Node.js version running it in the boot line',
    async (name) => {
      if (!isolation) throw new Error('The isolated broker and database are missing');
      const service = await ServiceProcess.start(name, isolation.env);
      try {
        await service.ready();
        const boot = await waitFor(
          () => service.jsonLogs().find((line) => String(line.msg).startsWith('Listening on')),
          { description: `the boot line of ${name}` },
        );
        expect(boot.msg).toBe(`Listening on port ${service.port} (Node.js ${process.version})`);
      } finally {
        await service.stop();
      }
    },
  );

  it('boots with a misspelled setting, and says once that it ignores it', async () => {
    if (!isolation) throw new Error('The isolated broker and database are missing');
    const service = await ServiceProcess.start('order', {
      ...isolation.env,
      RETRY_DELAY_MS: '100',
    });
    try {
      await service.ready();
      const notices = () =>
        service.jsonLogs().filter((line) => String(line.msg).startsWith('Ignoring '));
      await waitFor(() => notices().length > 0, { description: 'the notice of the misspelling' });
      expect(notices()).toEqual([
        expect.objectContaining({
          level: 40,
          context: 'order',
          msg: 'Ignoring RETRY_DELAY_MS, which is no setting of this service: did you mean RETRY_DELAYS_MS?',
        }),
      ]);
    } finally {
      await service.stop();
    }
  });

  it('stops at once, naming the missing database, instead of retrying as for an outage', async () => {
    if (!isolation) throw new Error('The isolated broker and database are missing');
    const database = new URL(isolation.env.DATABASE_URL);
    database.pathname = '/no_such_database';
    const service = await ServiceProcess.start('payment', {
      ...isolation.env,
      DATABASE_URL: database.toString(),
    });
    expect(await service.exitedWithin()).toBe(1);
    const output = service.logs.join('\n');
    expect(output).toContain('payment failed to start: database "no_such_database" does not exist');
    expect(output).not.toContain('retrying in');
  });

  it.each([
    ['order', ['RPC_TIMEOUT_MS'], { RPC_TIMEOUT_MS: 'abc-timeout' }],
    ['payment', ['PAYMENT_TRANSIENT_FAILURE_RATE'], { PAYMENT_TRANSIENT_FAILURE_RATE: '2.5' }],
    ['notification', ['DATABASE_URL'], { DATABASE_URL: 'mysql://user:s3cret@db/app' }],
    [
      'order',
      ['SHUTDOWN_TIMEOUT_MS', 'LOG_LEVEL'],
      { SHUTDOWN_TIMEOUT_MS: 'soon', LOG_LEVEL: 'loud-s3cret' },
    ],
    // Read by the tracing preload, before the service's own validation.
    [
      'payment',
      ['OTEL_EXPORTER_OTLP_ENDPOINT'],
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger-s3cret:4318' },
    ],
  ] as const)('stops %s with exit code 1 and one line naming %j', async (name, variables, env) => {
    if (!isolation) throw new Error('The isolated broker and database are missing');
    // In the isolated broker and database: a setting let through would boot there, not in a
    // stack running on this machine.
    const service = await ServiceProcess.start(name, { ...isolation.env, ...env });
    expect(await service.exitedWithin()).toBe(1);
    const output = service.logs.join('\n');
    // One line an operator or a log collector reads whole: every bad variable named in it.
    const line = `${name} failed to start: Invalid configuration: `;
    expect(service.logs).toEqual([expect.stringContaining(line)]);
    for (const variable of variables) expect(output).toContain(`${variable}: `);
    expect(output).not.toContain('s3cret');
  });
});
