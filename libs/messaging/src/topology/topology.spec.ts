import { consumerQueue, defineTopology, rpcQueue, withFailurePolicies } from './topology';

class GoneError extends Error {}
class DownError extends Error {}

const topology = defineTopology({
  service: 'shop',
  queues: {
    orders: consumerQueue({ name: 'shop.orders', prefetch: 1 }),
    other: consumerQueue({ name: 'shop.other', prefetch: 1 }),
    lookup: rpcQueue({
      name: 'shop.lookup',
      binding: { exchange: 'rpc', routingKey: 'l' },
      prefetch: 1,
    }),
  },
});

describe('withFailurePolicies', () => {
  it('gives each named consumer queue its policy and the service its own', () => {
    const withPolicies = withFailurePolicies(topology, {
      service: { defer: [DownError] },
      queues: { orders: { permanent: [GoneError] } },
    });
    expect(withPolicies.failures).toEqual({ defer: [DownError] });
    expect(withPolicies.queues.orders).toEqual({
      ...topology.queues.orders,
      failures: { permanent: [GoneError] },
    });
    expect(withPolicies.queues.other).toBe(topology.queues.other);
    expect(withPolicies.queues.lookup).toBe(topology.queues.lookup);
  });

  it('leaves the topology it is given as it was', () => {
    withFailurePolicies(topology, { queues: { orders: { permanent: [GoneError] } } });
    expect(topology.queues.orders.failures).toBeUndefined();
  });
});
