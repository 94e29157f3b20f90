import type { Logger } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import { EventEmitter } from 'node:events';
import { QueueConsumer } from './queue-consumer';
import type { Settlement } from './settlement';

type OnMessage = (message: ConsumeMessage | null) => void;

class FakeChannel extends EventEmitter {
  onMessage?: OnMessage;
  assertExchange = jest.fn(() => Promise.resolve({}));
  prefetch = jest.fn(() => Promise.resolve());
  consume = jest.fn(
    (_queue: string, onMessage: OnMessage, _options: object): Promise<{ consumerTag: string }> => {
      this.onMessage = onMessage;
      return Promise.resolve({ consumerTag: `tag-${this.consume.mock.calls.length}` });
    },
  );
  cancel = jest.fn(() => Promise.resolve({}));
  ack = jest.fn((_message: ConsumeMessage) => undefined);
  nack = jest.fn((_message: ConsumeMessage, _allUpTo?: boolean, _requeue?: boolean) => undefined);
  reject = jest.fn((_message: ConsumeMessage, _requeue?: boolean) => undefined);
  deliver(message: ConsumeMessage | null): void {
    this.onMessage?.(message);
  }
}

class FakeWrapper extends EventEmitter {
  close = jest.fn(() => Promise.resolve());
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const fields = { redelivered: false, exchange: '', routingKey: 'q', consumerTag: 'c' };
let deliveryTag = 0;
const message = (): ConsumeMessage => ({
  content: Buffer.from('{}'),
  fields: { ...fields, deliveryTag: ++deliveryTag },
  properties: { headers: {} } as ConsumeMessage['properties'],
});

const flush = () => new Promise((resolve) => setImmediate(resolve));

function setup(
  process: (message: ConsumeMessage) => Promise<Settlement> = () => Promise.resolve('ack'),
) {
  const wrapper = new FakeWrapper();
  let attach: ((channel: Channel) => Promise<void>) | undefined;
  const connection = {
    createChannel: (options: { setup: (channel: Channel) => Promise<void> }) => {
      attach = options.setup;
      return wrapper;
    },
    // Closes in these tests stand for a lost connection, which the wrapper itself recovers from.
    isConnected: () => false,
  } as unknown as AmqpConnectionManager;
  const declare = jest.fn((_channel: Channel) => Promise.resolve());
  const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
  const metrics = { messageSettled: jest.fn() };
  const consumer = new QueueConsumer({
    queue: 'notification.deliver',
    prefetch: 7,
    declare,
    process,
    logger: logger as unknown as Logger,
    metrics,
  });
  consumer.start(connection);
  const connect = async () => {
    const channel = new FakeChannel();
    await attach?.(channel as unknown as Channel);
    return channel;
  };
  return { consumer, connect, wrapper, declare, logger, metrics };
}

describe('QueueConsumer', () => {
  it('declares its queue, sets its prefetch and consumes with manual acks once connected', async () => {
    const { consumer, connect, declare } = setup();
    expect(consumer.isConsuming).toBe(false);
    const channel = await connect();
    expect(declare).toHaveBeenCalledWith(channel);
    expect(channel.prefetch).toHaveBeenCalledWith(7);
    expect(channel.consume).toHaveBeenCalledWith('notification.deliver', expect.any(Function), {
      noAck: false,
    });
    expect(consumer.isConsuming).toBe(true);
  });

  it.each([
    ['acks a message whose processing is over', 'ack', 'ack', []],
    ['rejects without requeue a message to dead-letter', 'reject', 'reject', [false]],
    // basic.reject: RabbitMQ 4.3 counts it toward the delivery limit, not a basic.nack.
    ['rejects with requeue a failed attempt to try again', 'requeue', 'reject', [true]],
    ['releases (nack, requeue) a message given back unhandled', 'release', 'nack', [false, true]],
  ] as const)('%s', async (_case, settlement, method, extra) => {
    const { connect } = setup(() => Promise.resolve(settlement));
    const channel = await connect();
    const delivery = message();
    channel.deliver(delivery);
    await flush();
    expect(channel[method]).toHaveBeenCalledWith(delivery, ...extra);
    const others = (['ack', 'nack', 'reject'] as const).filter((other) => other !== method);
    for (const other of others) expect(channel[other]).not.toHaveBeenCalled();
  });

  it('rejects, logs and counts a message whose processor failed unexpectedly', async () => {
    const { connect, logger, metrics } = setup(() => Promise.reject(new Error('a bug')));
    const loggedUnder: unknown[] = [];
    logger.error.mockImplementation(() =>
      loggedUnder.push(ClsServiceManager.getClsService().getId()),
    );
    const channel = await connect();
    const delivery = message();
    delivery.properties.messageId = 'm-1';
    delivery.properties.headers = { 'x-correlation-id': 'order-7' };
    channel.deliver(delivery);
    await flush();
    expect(channel.reject).toHaveBeenCalledWith(delivery, false);
    // Logged outside the message's handling, yet under its correlation id, and naming it.
    expect(loggedUnder).toEqual(['order-7']);
    expect(logger.error).toHaveBeenCalledWith(
      'Unexpected failure on notification.deliver with message m-1: a bug; rejecting it so the broker dead-letters it',
    );
    expect(metrics.messageSettled).toHaveBeenCalledWith('notification.deliver', 'q', 'rejected');
  });

  it('logs a settlement the closed channel refused, under the message id when none was sent', async () => {
    const { connect, logger } = setup();
    const loggedUnder: unknown[] = [];
    logger.warn.mockImplementation(() =>
      loggedUnder.push(ClsServiceManager.getClsService().getId()),
    );
    const channel = await connect();
    channel.ack.mockImplementation(() => {
      throw new Error('Channel closed');
    });
    const delivery = message();
    delivery.properties.messageId = 'm-2';
    channel.deliver(delivery);
    await flush();
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not ack message m-2 on notification.deliver: Channel closed',
    );
    expect(loggedUnder).toEqual(['m-2']);
  });

  it('settles a delivery on the channel it came from, even after a reconnect', async () => {
    const outcome = deferred<Settlement>();
    const { connect } = setup(() => outcome.promise);
    const first = await connect();
    const delivery = message();
    first.deliver(delivery);
    first.emit('close');
    const second = await connect();
    outcome.resolve('ack');
    await flush();
    expect(first.ack).toHaveBeenCalledWith(delivery);
    expect(second.ack).not.toHaveBeenCalled();
  });

  it('rejects a message whose processing failed unexpectedly, so it reaches the dead-letter queue', async () => {
    const { connect, logger } = setup(() => Promise.reject(new Error('bug in a processor')));
    const channel = await connect();
    const delivery = message();
    channel.deliver(delivery);
    await flush();
    await flush();
    expect(channel.reject).toHaveBeenCalledWith(delivery, false);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('bug in a processor'));
  });

  it('survives an ack on a channel that has closed meanwhile', async () => {
    const { consumer, connect, logger } = setup();
    const channel = await connect();
    channel.ack.mockImplementation(() => {
      throw new Error('Channel closed');
    });
    channel.deliver(message());
    await flush();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('Channel closed'));
    expect(consumer.inFlightCount).toBe(0);
  });

  it('tracks isConsuming through channel close and reconnect', async () => {
    const { consumer, connect } = setup();
    const first = await connect();
    first.emit('close');
    expect(consumer.isConsuming).toBe(false);
    const second = await connect();
    expect(consumer.isConsuming).toBe(true);
    second.emit('close');
    expect(consumer.isConsuming).toBe(false);
  });

  it('ignores a late close of the channel it has already replaced', async () => {
    const { consumer, connect } = setup();
    const first = await connect();
    await connect();
    first.emit('close');
    expect(consumer.isConsuming).toBe(true);
  });

  it('reports itself detached when the broker cancels it, and re-attaches a moment later', async () => {
    jest.useFakeTimers();
    try {
      const { consumer, connect } = setup();
      const channel = await connect();
      channel.deliver(null);
      expect(consumer.isConsuming).toBe(false);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(channel.consume).toHaveBeenCalledTimes(2);
      expect(consumer.isConsuming).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps trying to re-attach, backing off, while the queue cannot be declared', async () => {
    jest.useFakeTimers();
    try {
      const { consumer, connect, declare, logger } = setup();
      const channel = await connect();
      const listening = channel.listenerCount('close');
      // The node holding the queue is down: its declare fails twice, then the node is back.
      const down = new Error('NOT_FOUND - home node of queue is down');
      declare.mockRejectedValueOnce(down).mockRejectedValueOnce(down);
      channel.deliver(null);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(logger.error).toHaveBeenLastCalledWith(
        'Could not re-attach to notification.deliver: NOT_FOUND - home node of queue is down; trying again in 2000 ms',
      );
      await jest.advanceTimersByTimeAsync(2_000);
      expect(consumer.isConsuming).toBe(false);
      await jest.advanceTimersByTimeAsync(4_000);
      expect(declare).toHaveBeenCalledTimes(4);
      expect(consumer.isConsuming).toBe(true);
      // Attached again: nothing of the re-attaching is left on the channel.
      expect(channel.listenerCount('close')).toBe(listening);
    } finally {
      jest.useRealTimers();
    }
  });

  it('leaves re-attaching to the reopened channel once the cancelled one closes', async () => {
    jest.useFakeTimers();
    try {
      const { connect, declare } = setup();
      const channel = await connect();
      declare.mockRejectedValueOnce(new Error('NOT_FOUND'));
      channel.deliver(null);
      await jest.advanceTimersByTimeAsync(1_000);
      channel.emit('close');
      await jest.advanceTimersByTimeAsync(60_000);
      expect(declare).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('on stop, cancels the consumer and waits for work in flight before closing', async () => {
    const outcome = deferred<Settlement>();
    const { consumer, connect, wrapper } = setup(() => outcome.promise);
    const channel = await connect();
    const delivery = message();
    channel.deliver(delivery);

    const stopped = consumer.stop(10_000);
    await flush();
    expect(channel.cancel).toHaveBeenCalledWith('tag-1');
    expect(consumer.isConsuming).toBe(false);
    expect(consumer.inFlightCount).toBe(1);
    expect(wrapper.close).not.toHaveBeenCalled();

    outcome.resolve('ack');
    await stopped;
    expect(channel.ack).toHaveBeenCalledWith(delivery);
    expect(wrapper.close).toHaveBeenCalledTimes(1);
  });

  it('stops waiting for stuck work at the timeout', async () => {
    jest.useFakeTimers();
    try {
      const { consumer, connect, wrapper } = setup(() => new Promise<Settlement>(() => undefined));
      (await connect()).deliver(message());
      const stopped = consumer.stop(500);
      await jest.advanceTimersByTimeAsync(499);
      expect(wrapper.close).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      await stopped;
      expect(wrapper.close).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not consume again when the channel reconnects after stop', async () => {
    const { consumer, connect } = setup();
    await connect();
    await consumer.stop(100);
    const channel = await connect();
    expect(channel.consume).not.toHaveBeenCalled();
    expect(consumer.isConsuming).toBe(false);
  });
});
