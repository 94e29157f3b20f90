import type { ServiceName } from '@app/services';
import { type Permissions, servicePermissions } from './service-permissions';
import { accountOf } from './service-permissions.fixture';

function permissionsOf(service: ServiceName): Permissions {
  return servicePermissions(accountOf(service));
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
