import { EVENTS_EXCHANGE, GetPaymentByOrder, OrderCreated, RPC_EXCHANGE } from '@app/contracts';
import type { MessagingMetrics } from '@app/telemetry';
import type { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import type { MessageHandler } from '@nestjs/microservices';
import { of, throwError } from 'rxjs';
import type { ConsumerHost } from '../consuming/consumer-host';
import type { ConsumerPlan } from '../consuming/plan-consumers';
import { consumerQueue, defineTopology, rpcQueue } from '../topology/topology';
import { AmqpTransport } from './amqp.transport';
import type { ForeignHandlerCheck } from './foreign-handlers';
import type { HandlerExtras } from './message-controller.decorator';
import { MessageContext } from '../consuming/message-context';

const orders = consumerQueue({
  name: 'payment.order-created',
  exchange: EVENTS_EXCHANGE,
  prefetch: 10,
});
const byOrder = rpcQueue({
  name: 'payment.get-by-order',
  binding: { exchange: RPC_EXCHANGE, routingKey: GetPaymentByOrder.routingKey },
  prefetch: 20,
});
const topology = defineTopology({ service: 'payment', queues: { orders, byOrder } });

function setup() {
  const start = jest.fn<void, [ConsumerPlan]>();
  const messageHandled = jest.fn<void, [string, string, number]>();
  const transport = new AmqpTransport(
    {} as AmqpConnection,
    { start } as unknown as ConsumerHost,
    { assertNone: () => undefined } as unknown as ForeignHandlerCheck,
    { messageHandled } as unknown as MessagingMetrics,
    { service: 'payment', topology, publishes: [] },
  );
  const listen = () =>
    new Promise<unknown>((resolve) => transport.listen((error) => resolve(error)));
  return { transport, start, listen, messageHandled };
}

const contextOf = (queue: string, type: string) =>
  new MessageContext({
    messageId: 'm',
    type,
    queue,
    correlationId: 'c',
    attempt: 1,
    maxAttempts: 1,
    headers: {},
    raw: {} as MessageContext['raw'],
  });

const handler = (result: unknown): MessageHandler => jest.fn(() => Promise.resolve(result));

const extras = (queue: HandlerExtras['queue']): Record<string, unknown> => ({
  queue,
  handler: 'Some.method',
});

describe('AmqpTransport', () => {
  it('takes a contract or its type as the pattern, and starts one consumer per queue', async () => {
    const { transport, start, listen } = setup();
    transport.addHandler(OrderCreated, handler(undefined), true, extras(orders));
    transport.addHandler('payment.get-by-order', handler(of({ status: 'PENDING' })), false, {
      ...extras(byOrder),
    });

    await expect(listen()).resolves.toBeUndefined();
    const [plan] = start.mock.calls[0];
    expect(plan.consumerQueues.map(({ queue }) => queue)).toEqual([orders]);
    expect(plan.rpcQueues[0].responder.contract).toBe(GetPaymentByOrder);
    // An interceptor makes Nest's wrapper return an observable: its last value is the reply.
    const reply = await plan.rpcQueues[0].responder.invoke(
      { orderId: 'x' },
      contextOf(byOrder.name, 'payment.get-by-order'),
    );
    expect(reply).toEqual({ status: 'PENDING' });
  });

  it('times each handler by queue and type, a failed one too, and lets its error through', async () => {
    const { transport, start, listen, messageHandled } = setup();
    const failure = new Error('deadlock detected');
    // Nest's wrapper returns an exception filter's verdict as a failed observable.
    transport.addHandler(OrderCreated, handler(throwError(() => failure)), true, extras(orders));
    transport.addHandler(GetPaymentByOrder, handler('reply'), false, extras(byOrder));
    await listen();
    const [plan] = start.mock.calls[0];
    const [event] = plan.consumerQueues[0].handlers.values();

    await expect(event.invoke({}, contextOf(orders.name, OrderCreated.type))).rejects.toBe(failure);
    await plan.rpcQueues[0].responder.invoke(
      {},
      contextOf(byOrder.name, GetPaymentByOrder.routingKey),
    );
    expect(messageHandled.mock.calls).toEqual([
      [orders.name, OrderCreated.type, expect.any(Number)],
      [byOrder.name, GetPaymentByOrder.routingKey, expect.any(Number)],
    ]);
  });

  it('stops boot when a handler names no queue', () => {
    const { transport } = setup();
    expect(() => transport.addHandler(OrderCreated, handler(undefined), true, {})).toThrow(
      'The handler of order.created names no queue: put @MessageController(<a queue of the payment topology>) on its class',
    );
  });

  it('stops boot on a pattern that names no contract', () => {
    const { transport } = setup();
    expect(() =>
      transport.addHandler('order.shipped', handler(undefined), true, extras(orders)),
    ).toThrow('No message contract is defined for the pattern "order.shipped"');
  });

  it('stops boot on an RPC contract under @EventPattern, or an event on an RPC queue', () => {
    const { transport } = setup();
    expect(() =>
      transport.addHandler(GetPaymentByOrder, handler(undefined), true, extras(byOrder)),
    ).toThrow(/Some\.method: use @EventPattern with an event or job contract on a consumer queue/);
    expect(() =>
      transport.addHandler(OrderCreated, handler(undefined), true, extras(byOrder)),
    ).toThrow(/Some\.method/);
  });

  it('reports a topology mismatch through the listen callback', async () => {
    const { transport, start, listen } = setup();
    transport.addHandler(OrderCreated, handler(undefined), true, extras(orders));

    await expect(listen()).resolves.toEqual(
      new Error('No @MessagePattern responder answers payment.get-by-order'),
    );
    expect(start).not.toHaveBeenCalled();
  });
});
