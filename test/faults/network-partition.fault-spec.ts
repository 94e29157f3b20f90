import { SERVICE_NAMES } from '@app/services';
import { SilentLink, waitFor } from '@app/testing';
import request from 'supertest';
import { anOrder, Stack } from '../support/stack';
import { expectEachSettledPaidOnce } from './support/history';

/**
 * A network that stops carrying bytes closes nothing: no reset, no FIN. TCP alone would keep
 * such a connection for hours; the services' AMQP heartbeats (10 s) are what notice it.
 */
describe('The network between the services and the broker goes silent', () => {
  let stack: Stack;
  let link: SilentLink;

  beforeAll(async () => {
    stack = await Stack.start('network-partition', { without: [...SERVICE_NAMES] });
    const broker = new URL(stack.env.RABBITMQ_URL);
    link = await SilentLink.open({ host: broker.hostname, port: Number(broker.port || 5672) });
    const throughLink = { RABBITMQ_URL: link.url(stack.env.RABBITMQ_URL) };
    await stack.launch('notification');
    await stack.launch('payment', throughLink);
    await stack.launch('order', throughLink);
  });

  afterAll(async () => {
    // Healed first: a test failing mid-partition must not leave the shutdown talking into it.
    link?.heal();
    await stack?.stop();
    await link?.close();
  });

  it('is noticed by heartbeats: readiness goes down, and once it heals each order is paid once', async () => {
    const before = await stack.placeOrder(anOrder());
    await stack.settledOrder(before.body.id as string);

    link.silence();
    for (const service of [stack.order, ...stack.payments]) {
      await waitFor(async () => (await request(service.url).get('/health/ready')).status === 503, {
        description: `${service.name} to report the broker down with no connection closed`,
        timeoutMs: 45_000,
      });
    }
    const ready = await request(stack.order.url).get('/health/ready');
    expect(ready.body.error).toMatchObject({ broker: { status: 'down' } });
    // Writes still commit: the event waits in the outbox.
    const during = await stack.placeOrder(anOrder());

    link.heal();
    for (const service of [stack.order, ...stack.payments]) {
      await waitFor(async () => (await request(service.url).get('/health/ready')).status === 200, {
        description: `${service.name} to be ready again once the network heals`,
        timeoutMs: 30_000,
      });
    }
    const ids = [before, during].map(({ body }) => body.id as string);
    await expectEachSettledPaidOnce(stack, ids, {
      description: 'both orders to be paid and announced',
      timeoutMs: 30_000,
    });
    expect(stack.logs()).toMatch(/heartbeat timeout/i);
  }, 240_000);
});
