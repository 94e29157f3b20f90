import { declareEventLog, declareExchanges, declareRpcQueue } from './declare-topology';
import { RecordingChannel } from './declare-topology.fixture';
import { rpcQueue } from './topology';

describe('declareExchanges', () => {
  it('declares the durable events topic exchange and rpc direct exchange', async () => {
    const channel = new RecordingChannel();
    await declareExchanges(channel.asChannel());
    expect(channel.calls).toEqual([
      { op: 'exchange', name: 'events', type: 'topic', options: { durable: true } },
      { op: 'exchange', name: 'rpc', type: 'direct', options: { durable: true } },
    ]);
  });
});

describe('declareEventLog', () => {
  it('declares events.log as a durable stream with its max age, bound to every event', async () => {
    const channel = new RecordingChannel();
    await declareEventLog(channel.asChannel(), '7D');
    expect(channel.queue('events.log')).toEqual({
      durable: true,
      arguments: { 'x-queue-type': 'stream', 'x-max-age': '7D' },
    });
    expect(channel.bindings()).toEqual([
      { op: 'bind', queue: 'events.log', exchange: 'events', routingKey: '#' },
    ]);
  });

  it('gives a new stream the initial group size as its cluster size, when given', async () => {
    const channel = new RecordingChannel();
    await declareEventLog(channel.asChannel(), '30D', { quorumInitialGroupSize: 3 });
    expect(channel.queue('events.log')?.arguments).toEqual({
      'x-queue-type': 'stream',
      'x-max-age': '30D',
      'x-initial-cluster-size': 3,
    });
  });
});

describe('declareRpcQueue', () => {
  const requests = rpcQueue({
    name: 'payment.get-by-order',
    binding: { exchange: 'rpc', routingKey: 'payment.get-by-order' },
    prefetch: 50,
  });

  it('declares a classic request queue without dead-lettering, plus its .dlq, and binds it', async () => {
    const channel = new RecordingChannel();
    await declareRpcQueue(channel.asChannel(), requests);
    const options = channel.queue('payment.get-by-order');
    expect(options).toEqual({ durable: true, arguments: { 'x-queue-type': 'classic' } });
    expect(options?.arguments).not.toHaveProperty('x-dead-letter-exchange');
    const bounded = new RecordingChannel();
    await declareRpcQueue(bounded.asChannel(), requests, { maxLength: 7 });
    expect(bounded.queue('payment.get-by-order')?.arguments).toEqual({
      'x-queue-type': 'classic',
      'x-max-length': 7,
      'x-overflow': 'reject-publish',
    });
    expect(channel.queue('payment.get-by-order.dlq')).toEqual({
      durable: true,
      arguments: { 'x-queue-type': 'classic' },
    });
    expect(channel.bindings()).toEqual([
      {
        op: 'bind',
        queue: 'payment.get-by-order',
        exchange: 'rpc',
        routingKey: 'payment.get-by-order',
      },
    ]);
  });
});
