import { SERVICE_NAMES } from '@app/services';
import { createBrokerUser, waitFor } from '@app/testing';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { anOrder, Stack } from '../support/stack';
import { expectEachSettledPaidOnce } from './support/history';
import { broker, whileDown } from './support/infrastructure';

describe('The broker stops while orders keep coming', () => {
  const brokerPassword = `mq-${randomBytes(8).toString('hex')}`;
  const databasePassword = `db-${randomBytes(8).toString('hex')}`;
  let stack: Stack;
  let brokerUser: { dispose(): Promise<void> } | undefined;

  beforeAll(async () => {
    stack = await Stack.start('broker-restart', {
      paymentReplicas: 2,
      without: [...SERVICE_NAMES],
    });
    // Credentials that must never show up in a log line, even while connections fail.
    const user = `fault-${randomBytes(4).toString('hex')}`;
    brokerUser = await createBrokerUser(stack.isolation.vhost, user, brokerPassword);
    const rabbitmq = new URL(stack.env.RABBITMQ_URL);
    rabbitmq.username = user;
    rabbitmq.password = brokerPassword;
    const postgres = new URL(stack.env.DATABASE_URL);
    postgres.password = databasePassword;
    const env = { RABBITMQ_URL: rabbitmq.toString(), DATABASE_URL: postgres.toString() };
    await Promise.all([
      stack.launch('payment', env),
      stack.launch('payment', env),
      stack.launch('notification', env),
    ]);
    await stack.launch('order', env);
  });

  afterAll(async () => {
    await stack?.stop();
    await brokerUser?.dispose();
  });

  it('accepts them, reports the outage, and after the restart pays each exactly once', async () => {
    const before = await Promise.all([1, 2, 3, 4, 5].map(() => stack.placeOrder(anOrder())));
    const during = await whileDown(broker, async () => {
      await waitFor(
        async () => (await request(stack.order.url).get('/health/ready')).status === 503,
        {
          description: 'order readiness to report the broker down',
        },
      );
      const ready = await request(stack.order.url).get('/health/ready');
      expect(ready.body.error).toMatchObject({ broker: { status: 'down' } });
      // Writes still commit: the events wait in the outbox until the broker is back. So the
      // probe Kubernetes routes traffic by keeps order in service.
      await request(stack.order.url).get('/health/serving').expect(200);
      return Promise.all([1, 2, 3, 4, 5].map(() => stack.placeOrder(anOrder())));
    });

    const ids = [...before, ...during].map((response) => response.body.id as string);
    await expectEachSettledPaidOnce(stack, ids, {
      description: 'every order settled and announced after the restart',
      timeoutMs: 60_000,
    });
    for (const service of stack.services) {
      await waitFor(async () => (await request(service.url).get('/health/ready')).status === 200, {
        description: `${service.name} ready again, its consumers re-attached`,
      });
    }
  });

  it('never writes a password to a log line', () => {
    const logs = stack.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(brokerPassword);
    expect(logs).not.toContain(databasePassword);
  });
});
