import type { Channel, Options } from 'amqplib';
import {
  declareConsumerQueue,
  declareEventLog,
  declareExchanges,
  declareRpcQueue,
  QUORUM_DELIVERY_LIMIT,
} from './declare-topology';
import { consumerQueue, rpcQueue } from './topology';

type Call =
  | { op: 'exchange'; name: string; type: string; options?: Options.AssertExchange }
  | { op: 'queue'; name: string; options?: Options.AssertQueue }
  | { op: 'bind'; queue: string; exchange: string; routingKey: string };

class RecordingChannel {
  readonly calls: Call[] = [];
  assertExchange(name: string, type: string, options?: Options.AssertExchange) {
    this.calls.push({ op: 'exchange', name, type, options });
    return Promise.resolve({ exchange: name });
  }
  assertQueue(name: string, options?: Options.AssertQueue) {
    this.calls.push({ op: 'queue', name, options });
    return Promise.resolve({ queue: name, messageCount: 0, consumerCount: 0 });
  }
  bindQueue(queue: string, exchange: string, routingKey: string) {
    this.calls.push({ op: 'bind', queue, exchange, routingKey });
    return Promise.resolve({});
  }
  queue(name: string): Options.AssertQueue | undefined {
    const call = this.calls.find((c) => c.op === 'queue' && c.name === name);
    return call?.op === 'queue' ? call.options : undefined;
  }
  queueNames(): string[] {
    return this.calls.flatMap((c) => (c.op === 'queue' ? [c.name] : []));
  }
  bindings(): Call[] {
    return this.calls.filter((c) => c.op === 'bind');
  }
  asChannel(): Channel {
    return this as unknown as Channel;
  }
}

const payments = consumerQueue({
  name: 'order.payment-results',
  exchange: 'events',
  prefetch: 10,
});

async function declared(delays: number[] = [1000, 5000, 25000]) {
  const channel = new RecordingChannel();
  await declareConsumerQueue(channel.asChannel(), payments, delays, {}, [
    'payment.succeeded',
    'payment.failed',
  ]);
  return channel;
}

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

describe('declareConsumerQueue', () => {
  it('makes the queue a durable quorum queue that dead-letters to its .dlq', async () => {
    const channel = await declared();
    expect(channel.queue('order.payment-results')).toEqual({
      durable: true,
      arguments: expect.objectContaining({
        'x-queue-type': 'quorum',
        'x-delivery-limit': QUORUM_DELIVERY_LIMIT,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': 'order.payment-results.dlq',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      }),
    });
  });

  it('declares one retry queue per jittered delay, each sending messages back after its TTL', async () => {
    const channel = await declared();
    for (const delay of [1000, 1250, 1500, 5000, 6250, 7500, 25000, 31250, 37500]) {
      expect(channel.queue(`order.payment-results.retry.${delay}ms`)).toEqual({
        durable: true,
        arguments: expect.objectContaining({
          'x-queue-type': 'quorum',
          'x-message-ttl': delay,
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': 'order.payment-results',
          'x-dead-letter-strategy': 'at-least-once',
        }),
      });
    }
  });

  it('bounds the queue alone to the max length, refusing publishes past it', async () => {
    const channel = new RecordingChannel();
    await declareConsumerQueue(channel.asChannel(), payments, [1000], { maxLength: 5 });
    expect(channel.queue('order.payment-results')?.arguments).toMatchObject({
      'x-max-length': 5,
      'x-overflow': 'reject-publish',
    });
    for (const name of ['order.payment-results.retry.1000ms', 'order.payment-results.dlq']) {
      expect(channel.queue(name)?.arguments).not.toHaveProperty('x-max-length');
    }
    const unset = await declared([1000]);
    expect(unset.queue('order.payment-results')?.arguments).not.toHaveProperty('x-max-length');
  });

  it('declares a repeated delay once', async () => {
    const channel = await declared([1000, 1000, 2000]);
    expect(channel.queueNames().filter((name) => name.includes('.retry.'))).toEqual(
      [1000, 1250, 1500, 2000, 2500, 3000].map((ms) => `order.payment-results.retry.${ms}ms`),
    );
  });

  it('makes the dead-letter queue a durable classic queue, ready before the queue feeding it', async () => {
    const channel = await declared();
    expect(channel.queue('order.payment-results.dlq')).toEqual({
      durable: true,
      arguments: { 'x-queue-type': 'classic' },
    });
    const names = channel.queueNames();
    expect(names.indexOf('order.payment-results.dlq')).toBeLessThan(
      names.indexOf('order.payment-results'),
    );
  });

  it('binds the queue on its exchange to every type its handlers take', async () => {
    const channel = await declared();
    expect(channel.bindings()).toEqual([
      {
        op: 'bind',
        queue: 'order.payment-results',
        exchange: 'events',
        routingKey: 'payment.succeeded',
      },
      {
        op: 'bind',
        queue: 'order.payment-results',
        exchange: 'events',
        routingKey: 'payment.failed',
      },
    ]);
  });

  it('sets the quorum initial group size of quorum queues only, and only when given', async () => {
    const channel = new RecordingChannel();
    await declareConsumerQueue(channel.asChannel(), payments, [1000], {
      quorumInitialGroupSize: 3,
    });
    for (const name of ['order.payment-results', 'order.payment-results.retry.1000ms']) {
      expect(channel.queue(name)?.arguments).toHaveProperty('x-quorum-initial-group-size', 3);
    }
    expect(channel.queue('order.payment-results.dlq')?.arguments).not.toHaveProperty(
      'x-quorum-initial-group-size',
    );
    const unset = await declared([1000]);
    expect(unset.queue('order.payment-results')?.arguments).not.toHaveProperty(
      'x-quorum-initial-group-size',
    );
  });

  it('declares no retry queue when there are no retry delays', async () => {
    const channel = await declared([]);
    expect(channel.queueNames().sort()).toEqual([
      'order.payment-results',
      'order.payment-results.dlq',
    ]);
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
