import { declareConsumerQueue, QUORUM_DELIVERY_LIMIT } from './declare-topology';
import { declared, payments, RecordingChannel } from './declare-topology.fixture';

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
