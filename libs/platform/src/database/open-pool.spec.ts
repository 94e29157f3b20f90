import { Logger } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { openPool, POOL_IDLE_TIMEOUT_MS } from './open-pool';

describe('openPool', () => {
  afterEach(() => jest.restoreAllMocks());

  it('passes the settings to pg, a query timeout only when given', async () => {
    const settings = { max: 1, applicationName: 'order-ping', connectionTimeoutMillis: 1_000 };
    const timed = openPool('postgres://localhost/none', { ...settings, queryTimeoutMillis: 1_000 });
    const untimed = openPool('postgres://localhost/none', settings);
    try {
      expect(timed.options).toMatchObject({
        max: 1,
        application_name: 'order-ping',
        connectionTimeoutMillis: 1_000,
        idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS,
        query_timeout: 1_000,
      });
      expect(untimed.options.query_timeout).toBeUndefined();
    } finally {
      await Promise.all([timed.end(), untimed.end()]);
    }
  });

  it('logs a lost connection outside the request that happened to open it', async () => {
    const requestContext = new AsyncLocalStorage<string>();
    const storesSeen: (string | undefined)[] = [];
    jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation(() => storesSeen.push(requestContext.getStore()));
    const pool = openPool('postgres://localhost:1/none', {
      max: 1,
      applicationName: 'open-pool-spec',
      connectionTimeoutMillis: 100,
    });
    // pg-pool emits a lost connection's error from its socket, in the context of the request
    // that opened the connection: that request's ids must not end up on the warning.
    requestContext.run('order-A', () => pool.emit('error', new Error('terminated')));
    expect(storesSeen).toEqual([undefined]);
    await pool.end();
  });
});
