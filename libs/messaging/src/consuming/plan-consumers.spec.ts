import {
  EVENTS_EXCHANGE,
  GetPaymentByOrder,
  OrderCancelled,
  OrderCreated,
  OrderPaid,
  RPC_EXCHANGE,
} from '@app/contracts';
import {
  consumerQueue,
  defineTopology,
  queueBindings,
  rpcQueue,
  type ConsumerQueue,
  type RpcQueue,
} from '../topology/topology';
import {
  type Discovered,
  type EventHandlerMetadata,
  planConsumers,
  type RpcResponderMetadata,
} from './plan-consumers';

const orderEvents = consumerQueue({
  name: 'notification.order-events',
  exchange: EVENTS_EXCHANGE,
  prefetch: 10,
});
const getPayment = rpcQueue({
  name: 'payment.get-by-order',
  binding: { exchange: RPC_EXCHANGE, routingKey: GetPaymentByOrder.routingKey },
  prefetch: 20,
});
const topology = defineTopology({ service: 'notification', queues: { orderEvents, getPayment } });

const invoke = () => Promise.resolve(undefined);

function handler(
  name: string,
  queue: ConsumerQueue,
  contract: EventHandlerMetadata['contract'],
): Discovered<EventHandlerMetadata> {
  return { name, meta: { queue, contract }, invoke: jest.fn(invoke) };
}

function responder(name: string, queue: RpcQueue): Discovered<RpcResponderMetadata> {
  return { name, meta: { queue, contract: GetPaymentByOrder }, invoke: jest.fn(invoke) };
}

const onCreated = handler('OrderEvents.onCreated', orderEvents, OrderCreated);
const onPaid = handler('OrderEvents.onPaid', orderEvents, OrderPaid);
const answer = responder('PaymentQueries.byOrder', getPayment);

describe('planConsumers', () => {
  it('groups the handlers by queue and type, and pairs each RPC queue with its responder', () => {
    const plan = planConsumers(topology, [onCreated, onPaid], [answer]);

    expect(plan.consumerQueues).toHaveLength(1);
    const [{ queue, handlers }] = plan.consumerQueues;
    expect(queue).toBe(orderEvents);
    expect([...handlers.keys()].sort()).toEqual(['order.created', 'order.paid']);
    expect(handlers.get('order.paid')).toEqual({
      contract: OrderPaid,
      key: 'notification.order-events#order.paid',
      invoke: onPaid.invoke,
    });
    expect(plan.rpcQueues).toEqual([
      { queue: getPayment, responder: { contract: GetPaymentByOrder, invoke: answer.invoke } },
    ]);
  });

  it("gives each consumer queue its failure policy added to its service's", () => {
    class Gone extends Error {}
    class Down extends Error {}
    const withPolicy = defineTopology({
      service: 'notification',
      failures: { permanent: [Gone] },
      queues: { orderEvents: { ...orderEvents, failures: { defer: [Down] } }, getPayment },
    });
    const plan = planConsumers(withPolicy, [onCreated, onPaid], [answer]);

    expect(plan.consumerQueues[0].failures).toEqual({ permanent: [Gone], defer: [Down] });
  });

  it('lets two queues of one service handle the same type, each with its own inbox key', () => {
    const audit = consumerQueue({ ...orderEvents, name: 'notification.audit' });
    const both = defineTopology({ service: 'notification', queues: { orderEvents, audit } });
    const plan = planConsumers(
      both,
      [
        onCreated,
        onPaid,
        handler('Audit.onCreated', audit, OrderCreated),
        handler('Audit.onPaid', audit, OrderPaid),
      ],
      [],
    );
    const keys = plan.consumerQueues.map(({ handlers }) => handlers.get('order.created')?.key);
    expect(keys.sort()).toEqual([
      'notification.audit#order.created',
      'notification.order-events#order.created',
    ]);
  });

  it('refuses a handler on a queue the topology does not declare', () => {
    const stray = consumerQueue({ name: 'notification.stray', prefetch: 1 });
    const orphan = handler('Stray.onCancelled', stray, OrderCancelled);
    expect(() => planConsumers(topology, [onCreated, orphan], [answer])).toThrow(
      'Stray.onCancelled consumes notification.stray, which the notification topology does not declare',
    );
  });

  it('refuses a responder on a queue the topology does not declare', () => {
    const other = rpcQueue({ ...getPayment, name: 'payment.other' });
    expect(() => planConsumers(topology, [onCreated], [responder('X.answer', other)])).toThrow(
      /X\.answer consumes payment\.other/,
    );
  });

  it('refuses two handlers for one message type on one queue', () => {
    const twin = handler('Audit.onCreated', orderEvents, OrderCreated);
    expect(() => planConsumers(topology, [onCreated, twin], [answer])).toThrow(
      'Audit.onCreated: a second handler for "order.created" on notification.order-events',
    );
  });

  it('refuses two responders for one RPC queue', () => {
    const second = responder('Other.byOrder', getPayment);
    expect(() => planConsumers(topology, [onCreated], [answer, second])).toThrow(
      'Other.byOrder: a second responder for payment.get-by-order',
    );
  });

  it('refuses a declared queue nobody consumes', () => {
    expect(() => planConsumers(topology, [], [answer])).toThrow(
      'No @EventPattern handler consumes notification.order-events',
    );
  });

  it('refuses a declared RPC queue nobody answers', () => {
    expect(() => planConsumers(topology, [onCreated, onPaid], [])).toThrow(
      'No @MessagePattern responder answers payment.get-by-order',
    );
  });

  it("binds a queue to its handlers' types: a new handler needs no topology edit", () => {
    const onCancelled = handler('OrderEvents.onCancelled', orderEvents, OrderCancelled);
    const plan = planConsumers(topology, [onCreated, onPaid, onCancelled], [answer]);
    const [{ queue, handlers }] = plan.consumerQueues;
    expect(queueBindings(queue, handlers.keys())).toEqual([
      { exchange: EVENTS_EXCHANGE, routingKey: 'order.created' },
      { exchange: EVENTS_EXCHANGE, routingKey: 'order.paid' },
      { exchange: EVENTS_EXCHANGE, routingKey: 'order.cancelled' },
    ]);
  });

  it('leaves a work queue without an exchange unbound, whatever its handlers take', () => {
    const jobs = consumerQueue({ name: 'notification.jobs', prefetch: 1 });
    const withJobs = defineTopology({ service: 'notification', queues: { jobs } });
    const plan = planConsumers(withJobs, [handler('Jobs.run', jobs, OrderPaid)], []);
    expect(plan.consumerQueues[0].handlers.has('order.paid')).toBe(true);
    expect(queueBindings(jobs, plan.consumerQueues[0].handlers.keys())).toEqual([]);
  });
});
