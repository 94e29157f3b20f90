import { consumerQueue, defineTopology, rpcQueue } from '@app/messaging';
import type { ServiceName } from '@app/services';
import { SERVICE_ACCOUNTS } from './service-accounts';
import {
  type Permissions,
  servicePermissions,
  serviceTopicPermissions,
} from './service-permissions';

function permissionsOf(service: ServiceName): Permissions {
  const account = SERVICE_ACCOUNTS.find((candidate) => candidate.service === service);
  if (!account) throw new Error(`No account for ${service}`);
  return servicePermissions(account);
}

type Expectations = Record<keyof Permissions, { allows: string[]; refuses: string[] }>;

/** Names of the other services' queues: no user may touch another service's queues. */
const FOREIGN: Partial<Record<ServiceName, string[]>> = {
  order: ['payment.order-created', 'notification.deliver', 'payment.get-by-order.dlq'],
  payment: ['order.payment-results', 'order.payment-results.dlq', 'notification.order-events'],
  notification: ['order.payment-results', 'payment.order-created.retry.1000ms'],
};

/** Near misses of own names: an unescaped dot or a missing anchor would let these through. */
const LOOKALIKES = [
  'order.payment-resultsX',
  'xorder.payment-results',
  'order-payment-results',
  'order.payment-results.retry.ms',
  'order.payment-results.retry.1000',
  'order.payment-results.retry.1000ms.dlq',
  'payment.order-createdXdlq',
  'payment.get-by-order.retry.1000ms',
  'notification.deliver.dlq2',
  'amqXdefault',
  'events.x',
  'events.logs',
  'eventsXlog',
  'rpcs',
  '',
];

/** The seed's services; one generated later is checked by the rules these prove. */
const EXPECTED: Partial<Record<ServiceName, Expectations>> = {
  order: {
    configure: {
      allows: [
        'order.payment-results',
        'order.payment-results.dlq',
        'order.payment-results.retry.1000ms',
        'order.payment-results.retry.25000ms',
        'events',
        'events.log',
        'rpc',
      ],
      refuses: ['amq.default'],
    },
    write: {
      allows: ['events', 'rpc', 'amq.default', 'order.payment-results'],
      refuses: [],
    },
    read: {
      allows: ['order.payment-results', 'order.payment-results.retry.5000ms', 'events'],
      refuses: ['rpc', 'amq.default'],
    },
  },
  payment: {
    configure: {
      allows: [
        'payment.order-created',
        'payment.order-created.dlq',
        'payment.order-created.retry.1000ms',
        'payment.get-by-order',
        'payment.get-by-order.dlq',
        'events',
        'rpc',
      ],
      refuses: [],
    },
    write: {
      allows: ['events', 'amq.default', 'payment.order-created', 'payment.get-by-order'],
      // Payment answers RPCs through the default exchange; it never sends requests.
      refuses: ['rpc'],
    },
    read: {
      allows: ['payment.order-created', 'payment.get-by-order', 'events', 'rpc'],
      refuses: ['amq.default'],
    },
  },
  notification: {
    configure: {
      allows: [
        'notification.order-events',
        'notification.order-events.retry.200ms',
        'notification.deliver',
        'notification.deliver.dlq',
        'notification.deliver.retry.1000ms',
        'events',
        'rpc',
      ],
      refuses: [],
    },
    write: {
      allows: ['amq.default', 'notification.deliver', 'notification.order-events'],
      // It only consumes events; its delivery jobs go through the default exchange.
      refuses: ['events', 'rpc'],
    },
    read: {
      allows: ['notification.order-events', 'notification.deliver.dlq', 'events'],
      refuses: ['rpc'],
    },
  },
};

describe.each(Object.keys(EXPECTED) as ServiceName[])('permissions of %s', (service) => {
  const permissions = permissionsOf(service);

  it.each(['configure', 'write', 'read'] as const)('%s is one anchored regex', (kind) => {
    expect(permissions[kind]).toMatch(/^\^\(\?:.*\)\$$/);
  });

  it.each(['configure', 'write', 'read'] as const)(
    '%s matches what the service needs and nothing else',
    (kind) => {
      const pattern = new RegExp(permissions[kind]);
      const { allows, refuses } = EXPECTED[service]![kind];
      expect(allows.filter((name) => !pattern.test(name))).toEqual([]);
      const refused = [...refuses, ...(FOREIGN[service] ?? []), ...LOOKALIKES];
      expect(refused.filter((name) => pattern.test(name))).toEqual([]);
    },
  );
});

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

describe('serviceTopicPermissions', () => {
  const writeOf = (service: ServiceName) => {
    const account = SERVICE_ACCOUNTS.find((candidate) => candidate.service === service);
    if (!account) throw new Error(`No account for ${service}`);
    const [events] = serviceTopicPermissions(account);
    expect(events.exchange).toBe('events');
    return new RegExp(events.write);
  };

  it.each<[ServiceName, string[], string[]]>([
    [
      'order',
      ['order.created', 'order.paid', 'order.cancelled'],
      ['payment.succeeded', 'order.createdX', 'orderXcreated', 'order.*', 'x.order.paid', ''],
    ],
    [
      'payment',
      ['payment.succeeded', 'payment.failed'],
      ['order.created', 'payment.succeeded.x', 'payment.#', ''],
    ],
    ['notification', [], ['order.created', 'notification.deliver', 'x']],
  ])('lets %s publish its own event types only', (service, allows, refuses) => {
    const write = writeOf(service);
    for (const key of allows) expect(write.test(key)).toBe(true);
    for (const key of refuses) expect(write.test(key)).toBe(false);
  });
});
