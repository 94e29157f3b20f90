import { OrderCreated, PaymentDeadline, PaymentFailed, PaymentSucceeded } from '@app/contracts';
import { SERVICES } from '@app/services';
import { declaredTopology } from './declared-topology';

const settings = { retryDelaysMs: [1000, 5000] };

describe('declaredTopology', () => {
  it('reads each queue’s contracts from the handlers of the service’s app module', async () => {
    const topology = await declaredTopology(SERVICES, settings);
    const order = topology.services.find((view) => view.service.name === 'order');
    expect(order?.handled.map(({ queue, contracts }) => [queue.name, contracts])).toEqual([
      ['order.payment-results', [PaymentSucceeded, PaymentFailed]],
      ['order.payment-deadlines', [PaymentDeadline]],
    ]);
    const payment = topology.services.find((view) => view.service.name === 'payment');
    expect(payment?.handled[0].contracts).toEqual([OrderCreated]);
  });

  it('records the queues and bindings the services’ declaration code makes', async () => {
    const topology = await declaredTopology(SERVICES, settings);
    expect(topology.exchanges.map((exchange) => exchange.name)).toEqual(['events', 'rpc']);
    const order = topology.services.find((view) => view.service.name === 'order');
    const withRetries = (queue: string) => [
      queue,
      `${queue}.dlq`,
      ...[1000, 1250, 1500, 5000, 6250, 7500].map((delay) => `${queue}.retry.${delay}ms`),
    ];
    expect(order?.queues.map((queue) => queue.name).sort()).toEqual(
      [...withRetries('order.payment-deadlines'), ...withRetries('order.payment-results')].sort(),
    );
    expect(order?.bindings).toEqual([
      { exchange: 'events', queue: 'order.payment-results', routingKey: 'payment.succeeded' },
      { exchange: 'events', queue: 'order.payment-results', routingKey: 'payment.failed' },
    ]);
  });
});
