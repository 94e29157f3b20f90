import { SERVICES } from '@app/services';
import { createIsolatedBroker, type IsolatedBroker, testSettings } from '@app/testing';
import { type Channel, type ChannelModel, connect } from 'amqplib';
import { declaredTopology, type DeclaredTopology } from '../src/declared/declared-topology';
import { DEFAULT_TOPOLOGY_SETTINGS, validateTopologyConfig } from '../src/topology.config';
import { runTopology } from '../src/topology.program';

/** What the services declare at start, made on the broker with the same calls. */
async function declareAll(channel: Channel, topology: DeclaredTopology): Promise<void> {
  for (const { name, type, durable } of topology.exchanges) {
    await channel.assertExchange(name, type, { durable });
  }
  for (const view of [...topology.services, topology.shared ?? { queues: [], bindings: [] }]) {
    for (const queue of view.queues) {
      await channel.assertQueue(queue.name, { durable: queue.durable, arguments: queue.arguments });
    }
    for (const { queue, exchange, routingKey } of view.bindings) {
      await channel.bindQueue(queue, exchange, routingKey);
    }
  }
}

describe('npm run topology:check against a real broker', () => {
  let broker: IsolatedBroker;
  let connection: ChannelModel;
  let channel: Channel;

  const check = async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runTopology(['check'], {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      root: process.cwd(),
      config: () =>
        validateTopologyConfig({
          RABBITMQ_URL: broker.url,
          RABBITMQ_MANAGEMENT_URL: testSettings.managementUrl,
        }),
    });
    return { code, out: out.join(''), err: err.join('') };
  };

  beforeAll(async () => {
    broker = await createIsolatedBroker('topology-check');
    connection = await connect(broker.url);
    channel = await connection.createChannel();
    // The services' defaults, as the check reads them from an environment that sets none.
    await declareAll(channel, await declaredTopology(SERVICES, DEFAULT_TOPOLOGY_SETTINGS));
  });

  afterAll(async () => {
    await connection?.close();
    await broker?.dispose();
  });

  it('says OK in one line, exit code 0, when the broker has what the services declare', async () => {
    const result = await check();
    expect(result).toEqual({ code: 0, out: expect.stringMatching(/^Topology OK: .*\n$/), err: '' });
    expect(result.out.split('\n')).toHaveLength(2);
  });

  it('reports an extra binding, a missing one, other arguments and a stray queue, exit code 1', async () => {
    await channel.bindQueue('order.payment-results', 'events', 'order.paid');
    await channel.unbindQueue('notification.order-events', 'events', 'order.cancelled');
    await channel.deleteQueue('payment.order-created.dlq');
    await channel.assertQueue('payment.order-created.dlq', {
      durable: true,
      arguments: { 'x-queue-type': 'classic', 'x-max-length': 10 },
    });
    await channel.assertQueue('leftover.audit', { durable: true });
    await channel.bindQueue('leftover.audit', 'events', '#');
    // Broker-made and per-connection queues are nobody's drift.
    await channel.assertQueue('', { exclusive: true });

    const result = await check();

    expect(result.code).toBe(1);
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^Topology drift in virtual host "test-topology-check-\w+": 4 differences/,
    );
    expect(lines.slice(1).map((line) => line.trim().replace(/\s+/g, ' '))).toEqual([
      'queue arguments payment.order-created.dlq (payment): x-max-length 10 is not declared',
      'stray queue leftover.audit: declared by no service; bound to events (#)',
      'missing binding events → notification.order-events (order.cancelled): a handler of notification takes order.cancelled from notification.order-events',
      'extra binding events → order.payment-results (order.paid): no handler on order.payment-results takes order.paid',
    ]);
  });
});
