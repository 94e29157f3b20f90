import { consumerQueue, defineTopology, rpcQueue } from '@app/messaging';
import { servicePermissions } from './service-permissions';

describe('servicePermissions', () => {
  const audit = consumerQueue({
    name: 'audit.everything',
    exchange: 'audit',
    prefetch: 1,
  });

  it('follows the topology: a new queue and its bound exchange are granted with it', () => {
    const topology = defineTopology({ service: 'audit', queues: { audit } });
    const permissions = servicePermissions({ topology, publishesTo: [], publishesEvents: [] });
    expect(permissions.configure).toBe(
      '^(?:audit\\.everything|audit\\.everything\\.dlq|audit\\.everything\\.retry\\.[0-9]+ms|events\\.log|events|rpc)$',
    );
    expect(new RegExp(permissions.read).test('audit')).toBe(true);
    expect(new RegExp(permissions.write).test('audit')).toBe(false);
    // Its dead-letter and retry copies go through the default exchange.
    expect(new RegExp(permissions.write).test('amq.default')).toBe(true);
  });

  it('grants the retry queues of a queue whose name holds digits of its own', () => {
    const odd = consumerQueue({ name: 'audit.q1234567', exchange: 'audit', prefetch: 1 });
    const topology = defineTopology({ service: 'audit', queues: { odd } });
    const configure = new RegExp(
      servicePermissions({ topology, publishesTo: [], publishesEvents: [] }).configure,
    );
    expect(configure.test('audit.q1234567.retry.1000ms')).toBe(true);
    expect(configure.test('audit.q9.retry.1000ms')).toBe(false);
  });

  it('grants an RPC queue its dead-letter queue but no retry queues', () => {
    const requests = rpcQueue({
      name: 'audit.lookup',
      binding: { exchange: 'rpc', routingKey: 'audit.lookup' },
      prefetch: 1,
    });
    const topology = defineTopology({ service: 'audit', queues: { requests } });
    const read = new RegExp(
      servicePermissions({ topology, publishesTo: [], publishesEvents: [] }).read,
    );
    expect(['audit.lookup', 'audit.lookup.dlq', 'rpc'].every((name) => read.test(name))).toBe(true);
    expect(read.test('audit.lookup.retry.1000ms')).toBe(false);
  });

  it('lets a service without queues write only where it publishes and declare the event log', () => {
    const topology = defineTopology({ service: 'emitter', queues: {} });
    const permissions = servicePermissions({
      topology,
      publishesTo: ['events'],
      publishesEvents: [],
    });
    expect(permissions).toEqual({
      configure: '^(?:events\\.log|events|rpc)$',
      write: '^(?:events\\.log|events)$',
      read: '^(?:events)$',
    });
  });
});
