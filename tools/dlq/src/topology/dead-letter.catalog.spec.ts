import { consumerQueue, defineTopology, rpcQueue } from '@app/messaging';
import { SERVICES } from '@app/services';
import { knownDeadLetterQueues } from './dead-letter.catalog';

describe('knownDeadLetterQueues', () => {
  it('names the dead-letter queue of every consuming and RPC queue of the services', () => {
    const names = knownDeadLetterQueues().map((known) => known.deadLetterQueue);
    // The seed's, in registry order; a service generated later adds its own after them.
    expect(names.slice(0, 7)).toEqual([
      'order.payment-results.dlq',
      'order.payment-deadlines.dlq',
      'payment.order-created.dlq',
      'payment.refund-requests.dlq',
      'payment.get-by-order.dlq',
      'notification.order-events.dlq',
      'notification.deliver.dlq',
    ]);
    expect(names).toHaveLength(
      SERVICES.flatMap((service) => Object.values(service.topology.queues)).length,
    );
  });

  it('reads the queues from the topologies it is given', () => {
    const topology = defineTopology({
      service: 'shop',
      queues: {
        a: consumerQueue({ name: 'shop.a', prefetch: 1 }),
        b: rpcQueue({ name: 'shop.b', binding: { exchange: 'rpc', routingKey: 'b' }, prefetch: 1 }),
      },
    });
    expect(knownDeadLetterQueues([topology])).toEqual([
      { service: 'shop', queue: 'shop.a', kind: 'consumer', deadLetterQueue: 'shop.a.dlq' },
      { service: 'shop', queue: 'shop.b', kind: 'rpc', deadLetterQueue: 'shop.b.dlq' },
    ]);
  });
});
