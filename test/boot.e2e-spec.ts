import { ServiceProcess } from '@app/testing';

describe('Booting with a bad configuration', () => {
  it.each([
    ['order', { RPC_TIMEOUT_MS: 'abc-timeout' }, 'RPC_TIMEOUT_MS'],
    ['payment', { PAYMENT_TRANSIENT_FAILURE_RATE: '2.5' }, 'PAYMENT_TRANSIENT_FAILURE_RATE'],
    ['notification', { DATABASE_URL: 'mysql://user:s3cret@db/app' }, 'DATABASE_URL'],
  ] as const)(
    'stops %s with exit code 1 and one message naming the variable',
    async (name, env, variable) => {
      const service = await ServiceProcess.start(name, { ...env });
      expect(await service.exited()).toBe(1);
      const output = service.logs.join('\n');
      expect(output).toContain(`${name} failed to start: Invalid configuration`);
      expect(output).toContain(`${variable}: `);
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toContain(Object.values(env)[0]);
    },
  );
});
