import { openPool, POOL_IDLE_TIMEOUT_MS } from './open-pool';

describe('openPool', () => {
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
});
