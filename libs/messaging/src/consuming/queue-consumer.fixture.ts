// Shared by the queue-consumer.*.spec.ts files.
import type { Logger } from '@nestjs/common';
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

export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const fields = { redelivered: false, exchange: '', routingKey: 'q', consumerTag: 'c' };
let deliveryTag = 0;
export const message = (): ConsumeMessage => ({
  content: Buffer.from('{}'),
  fields: { ...fields, deliveryTag: ++deliveryTag },
  properties: { headers: {} } as ConsumeMessage['properties'],
});

export const flush = () => new Promise((resolve) => setImmediate(resolve));

export function setup(
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
