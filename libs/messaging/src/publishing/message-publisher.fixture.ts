// Shared by the message-publisher.*.spec.ts files.
import type { BaseConfig } from '@app/platform';
import type { MessagingMetrics } from '@app/telemetry';
import type { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import type { ConfigService } from '@nestjs/config';
import type { ConfirmChannel, Message, Options } from 'amqplib';
import { EventEmitter } from 'node:events';
import { defineTopology } from '../topology/topology';
import { MessagePublisher } from './message-publisher';

type PublishOptions = Options.Publish & { timeout?: number };

export const MAX_BYTES = 1024;

class FakeConfirmChannel extends EventEmitter {
  publish = jest.fn();
  assertExchange = jest.fn((exchange: string) => Promise.resolve({ exchange }));
  bindQueue = jest.fn(() => Promise.resolve({}));
}

/** The short-lived channel each queue is asserted on. */
class FakeSpareChannel extends EventEmitter {
  assertQueue = jest.fn((queue: string) => Promise.resolve({ queue }));
  close = jest.fn(() => Promise.resolve());
}

class FakeChannelWrapper extends EventEmitter {
  publish = jest.fn<Promise<boolean>, [string, string, Buffer, PublishOptions]>();
}

/** The broker hands back a `mandatory` message nobody takes before it confirms it. */
export function returned(messageId: string): Message {
  return {
    content: Buffer.alloc(0),
    fields: { deliveryTag: 0, redelivered: false, exchange: 'events', routingKey: 'x' },
    properties: { messageId } as Message['properties'],
  };
}

export async function setup() {
  const wrapper = new FakeChannelWrapper();
  const channel = new FakeConfirmChannel();
  let setupChannel: ((channel: ConfirmChannel) => Promise<void>) | undefined;
  const createChannel = jest.fn((options: { setup: (c: ConfirmChannel) => Promise<void> }) => {
    setupChannel = options.setup;
    return wrapper;
  });
  const spare = new FakeSpareChannel();
  const connection = { createChannel: () => Promise.resolve(spare) };
  const amqp = { managedConnection: { createChannel, connection } } as unknown as AmqpConnection;
  const settings: Record<string, unknown> = {
    MAX_MESSAGE_BYTES: MAX_BYTES,
    EVENT_LOG_MAX_AGE: '7D',
  };
  const config = { get: (key: string) => settings[key] } as unknown as ConfigService<
    BaseConfig,
    true
  >;
  const metrics = {
    messagePublished: jest.fn(),
    reserveTypes: jest.fn(),
  } as unknown as MessagingMetrics;
  const publisher = new MessagePublisher(
    amqp,
    {
      service: 'order',
      topology: defineTopology({ service: 'order', queues: {} }),
      publishes: ['order.created'],
    },
    config,
    metrics,
  );
  publisher.onModuleInit();
  await setupChannel?.(channel as unknown as ConfirmChannel);
  wrapper.publish.mockResolvedValue(true);
  return { publisher, wrapper, channel, spare, createChannel, metrics };
}
