import type { DeclaredTopology } from '../declared/declared-topology';
import type { LiveTopology } from './broker-management';
import { BrokerManagement } from './broker-management';
import { driftReport } from './drift-report';
import { argumentDifferences, topologyDrift } from './topology-drift';

const declared = {
  exchanges: [{ name: 'events', type: 'topic', durable: true }],
  services: [
    {
      service: { name: 'shop' },
      handled: [],
      queues: [{ name: 'shop.orders', durable: true, arguments: { 'x-queue-type': 'quorum' } }],
      bindings: [{ exchange: 'events', queue: 'shop.orders', routingKey: 'order.created' }],
    },
  ],
} as unknown as DeclaredTopology;

const inStep: LiveTopology = {
  vhost: '/',
  exchanges: [
    { name: '', type: 'direct', durable: true },
    { name: 'amq.topic', type: 'topic', durable: true },
    { name: 'events', type: 'topic', durable: true },
  ],
  queues: [
    {
      name: 'shop.orders',
      durable: true,
      exclusive: false,
      arguments: { 'x-queue-type': 'quorum' },
    },
    { name: 'amq.gen-reply', durable: false, exclusive: true, arguments: {} },
  ],
  bindings: [
    {
      source: '',
      destination: 'shop.orders',
      destination_type: 'queue',
      routing_key: 'shop.orders',
    },
    {
      source: 'events',
      destination: 'shop.orders',
      destination_type: 'queue',
      routing_key: 'order.created',
    },
  ],
};

describe('topologyDrift', () => {
  it('finds none when the broker has what is declared, besides broker-made and exclusive entities', () => {
    expect(topologyDrift(declared, inStep)).toEqual([]);
  });

  it('names an exchange missing or of another type, and a queue missing with its binding', () => {
    const drift = topologyDrift(declared, {
      ...inStep,
      exchanges: [{ name: 'events', type: 'fanout', durable: true }],
      queues: [],
      bindings: [],
    });
    expect(drift.map(({ kind, subject }) => `${kind}: ${subject}`)).toEqual([
      'exchange differs: events',
      'missing queue: shop.orders (shop)',
      'missing binding: events → shop.orders (order.created)',
    ]);
    expect(drift[0].detail).toBe('declared durable topic, live durable fanout');
  });

  it('says the event log keeps every event when its binding is missing, not that a handler takes it', () => {
    const log = { name: 'events.log', durable: true, arguments: { 'x-queue-type': 'stream' } };
    const withLog = {
      ...declared,
      shared: {
        queues: [log],
        bindings: [{ exchange: 'events', queue: 'events.log', routingKey: '#' }],
      },
    } as unknown as DeclaredTopology;
    const drift = topologyDrift(withLog, {
      ...inStep,
      queues: [...inStep.queues, { ...log, exclusive: false }],
    });
    expect(drift).toEqual([
      {
        kind: 'missing binding',
        subject: 'events → events.log (#)',
        detail: 'every service declares it: events.log keeps every event of events',
      },
    ]);
  });
});

describe('argumentDifferences', () => {
  it('finds a transient queue where a durable one is declared: it would lose what it holds', () => {
    const transient = {
      ...inStep,
      queues: inStep.queues.map((queue) =>
        queue.name === 'shop.orders' ? { ...queue, durable: false } : queue,
      ),
    };
    expect(topologyDrift(declared, transient)).toEqual([
      {
        kind: 'queue differs',
        subject: 'shop.orders (shop)',
        detail: 'declared durable, live transient',
      },
    ]);
  });

  it('says which argument differs, is missing or is not declared', () => {
    expect(
      argumentDifferences(
        { 'x-queue-type': 'quorum', 'x-delivery-limit': 20 },
        { 'x-queue-type': 'classic', 'x-max-length': 5 },
      ),
    ).toEqual([
      'x-delivery-limit 20 is missing',
      'x-max-length 5 is not declared',
      'x-queue-type declared "quorum", live "classic"',
    ]);
  });
});

describe('driftReport', () => {
  it('counts the differences and aligns one line each', () => {
    expect(
      driftReport(
        [
          { kind: 'stray queue', subject: 'a', detail: 'declared by no service' },
          { kind: 'extra binding', subject: 'events → b (x)', detail: 'no handler on b takes x' },
        ],
        '/',
      ),
    ).toBe(
      [
        'Topology drift in virtual host "/": 2 differences from what the services declare',
        '  stray queue    a: declared by no service',
        '  extra binding  events → b (x): no handler on b takes x',
      ].join('\n'),
    );
  });
});

describe('BrokerManagement', () => {
  it('derives the management API and the virtual host from RABBITMQ_URL’s first node', () => {
    const management = new BrokerManagement({
      RABBITMQ_URL:
        'amqp://app:secret@rabbit-1:5672/shop%2Fprod,amqp://app:secret@rabbit-2:5672/shop%2Fprod',
    });
    expect(management.location).toBe('http://rabbit-1:15672');
    expect(management.vhost).toBe('shop/prod');
  });

  it('takes RABBITMQ_MANAGEMENT_URL when set, without printing its credentials', () => {
    const management = new BrokerManagement({
      RABBITMQ_URL: 'amqp://app:secret@rabbit:5672',
      RABBITMQ_MANAGEMENT_URL: 'https://admin:pw@mgmt.example.com/rabbitmq/',
    });
    expect(management.location).toBe('https://mgmt.example.com/rabbitmq');
    expect(management.vhost).toBe('/');
  });
});
