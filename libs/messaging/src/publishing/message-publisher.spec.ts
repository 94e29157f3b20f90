import type { BaseConfig } from '@app/platform';
import type { MessagingMetrics } from '@app/telemetry';
import type { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import type { ConfigService } from '@nestjs/config';
import type { ConfirmChannel, Message, Options } from 'amqplib';
import { EventEmitter } from 'node:events';
import {
  InvalidPublishPropertiesError,
  MessageTooLargeError,
  PublishRefusedError,
  UnroutableMessageError,
} from '../errors';
import { defineTopology } from '../topology/topology';
import { MessagePublisher } from './message-publisher';

type PublishOptions = Options.Publish & { timeout?: number };

const MAX_BYTES = 1024;

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
function returned(messageId: string): Message {
  return {
    content: Buffer.alloc(0),
    fields: { deliveryTag: 0, redelivered: false, exchange: 'events', routingKey: 'x' },
    properties: { messageId } as Message['properties'],
  };
}

async function setup() {
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

describe('MessagePublisher', () => {
  it('publishes on a confirm channel that declares the exchanges', async () => {
    const { createChannel, channel } = await setup();
    expect(createChannel).toHaveBeenCalledWith(
      expect.objectContaining({ confirm: true, name: 'order.publisher' }),
    );
    expect(channel.assertExchange.mock.calls.map(([name]) => name)).toEqual(['events', 'rpc']);
  });

  it('keeps metric series for the types it publishes, whatever types its queues see first', async () => {
    const { metrics } = await setup();
    expect(metrics.reserveTypes).toHaveBeenCalledWith(['order.created']);
  });

  it('declares the event log, bound to every event, before its first publish', async () => {
    const { channel, spare } = await setup();
    expect(spare.assertQueue).toHaveBeenCalledWith('events.log', {
      durable: true,
      arguments: { 'x-queue-type': 'stream', 'x-max-age': '7D' },
    });
    expect(channel.bindQueue).toHaveBeenCalledWith('events.log', 'events', '#');
  });

  it('publishes persistent and mandatory, with the given properties and bytes', async () => {
    const { publisher, wrapper } = await setup();
    const content = Buffer.from('{"orderId":"o-1"}');
    const properties = {
      messageId: 'm-1',
      type: 'order.paid',
      persistent: false,
      headers: { a: 1 },
    };
    await publisher.publishRaw('events', 'order.paid', content, properties, { timeoutMs: 750 });
    expect(wrapper.publish).toHaveBeenCalledWith('events', 'order.paid', content, {
      messageId: 'm-1',
      type: 'order.paid',
      headers: { a: 1 },
      persistent: true,
      mandatory: true,
      timeout: 750,
    });
  });

  it('rejects with UnroutableMessageError when the broker returns the message', async () => {
    const { publisher, wrapper, channel } = await setup();
    wrapper.publish.mockImplementationOnce(() => {
      channel.emit('return', returned('m-lost'));
      return Promise.resolve(true);
    });
    const publishing = publisher.publishRaw('events', 'order.nowhere', Buffer.from('{}'), {
      messageId: 'm-lost',
    });
    await expect(publishing).rejects.toThrow(UnroutableMessageError);
    await expect(publishing).rejects.toMatchObject({
      exchange: 'events',
      routingKey: 'order.nowhere',
    });
  });

  it('rejects with PublishRefusedError, counted as refused, when the broker nacks (a full queue)', async () => {
    const { publisher, wrapper, metrics } = await setup();
    wrapper.publish.mockRejectedValueOnce(new Error('message nacked'));
    const publishing = publisher.publishRaw('events', 'order.paid', Buffer.from('{}'), {
      messageId: 'm-full',
    });
    await expect(publishing).rejects.toThrow(PublishRefusedError);
    await expect(publishing).rejects.toThrow(/a queue it goes to is full \(QUEUE_MAX_LENGTH\)/);
    expect(metrics.messagePublished).toHaveBeenCalledWith('events', 'order.paid', 'refused');
  });

  it('does not blame a later publish of the same message for an earlier return', async () => {
    const { publisher, wrapper, channel } = await setup();
    wrapper.publish.mockImplementationOnce(() => {
      channel.emit('return', returned('m-1'));
      return Promise.resolve(true);
    });
    const send = () =>
      publisher.publishRaw('events', 'order.paid', Buffer.from('{}'), { messageId: 'm-1' });
    await expect(send()).rejects.toThrow(UnroutableMessageError);
    await expect(send()).resolves.toBeUndefined();
  });

  it('fails both copies of one message in flight at once when both are returned', async () => {
    // A row sent again while its first copy, given up on, still waits for its confirm: both
    // returns may arrive before either confirm. One remembered return would let one copy pass.
    const { publisher, wrapper, channel } = await setup();
    const confirms: (() => void)[] = [];
    wrapper.publish.mockImplementation(
      () => new Promise<boolean>((resolve) => confirms.push(() => resolve(true))),
    );
    const send = () =>
      publisher.publishRaw('events', 'order.paid', Buffer.from('{}'), { messageId: 'm-1' });
    const first = send();
    const second = send();
    channel.emit('return', returned('m-1'));
    channel.emit('return', returned('m-1'));
    for (const confirm of confirms) confirm();

    await expect(first).rejects.toThrow(UnroutableMessageError);
    await expect(second).rejects.toThrow(UnroutableMessageError);
  });

  it('forgets a return when the publish itself failed', async () => {
    const { publisher, wrapper, channel } = await setup();
    wrapper.publish.mockImplementationOnce(() => {
      channel.emit('return', returned('m-1'));
      return Promise.reject(new Error('timeout'));
    });
    const send = () =>
      publisher.publishRaw('events', 'order.paid', Buffer.from('{}'), { messageId: 'm-1' });
    await expect(send()).rejects.toThrow('timeout');
    await expect(send()).resolves.toBeUndefined();
  });

  it('detects the return of a copy that had no messageId, by giving it one', async () => {
    const { publisher, wrapper, channel } = await setup();
    wrapper.publish.mockImplementationOnce((_exchange, _key, _content, options) => {
      channel.emit('return', returned(String(options.messageId)));
      return Promise.resolve(true);
    });
    await expect(
      publisher.publishRaw('', 'q.dlq', Buffer.from('{}'), { headers: { 'x-error': 'why' } }),
    ).rejects.toBeInstanceOf(UnroutableMessageError);
  });

  it('refuses a new message above MAX_MESSAGE_BYTES before it reaches the broker', async () => {
    const { publisher, wrapper } = await setup();
    const send = publisher.publish({
      messageId: 'big',
      type: 't',
      exchange: 'events',
      routingKey: 'x',
      payload: 'x'.repeat(MAX_BYTES),
      headers: {},
    });
    await expect(send).rejects.toBeInstanceOf(MessageTooLargeError);
    await expect(send).rejects.toThrow('1026 bytes, above the 1024-byte limit (MAX_MESSAGE_BYTES)');
    expect(wrapper.publish).not.toHaveBeenCalled();
  });

  it('still copies an oversized consumed message on, so it can reach its dead-letter queue', async () => {
    const { publisher, wrapper } = await setup();
    await publisher.publishRaw('', 'q.dlq', Buffer.alloc(MAX_BYTES + 1), { messageId: 'big' });
    expect(wrapper.publish).toHaveBeenCalled();
  });

  it('refuses a copy the wire cannot carry before it reaches the channel, counting it failed', async () => {
    const { publisher, wrapper, metrics } = await setup();
    const send = publisher.publishRaw('', 'q.dlq', Buffer.from('{}'), {
      messageId: 'B'.repeat(256),
    });
    await expect(send).rejects.toBeInstanceOf(InvalidPublishPropertiesError);
    expect(wrapper.publish).not.toHaveBeenCalled();
    expect(metrics.messagePublished).toHaveBeenCalledWith('', 'q.dlq', 'failed');
  });

  it('refuses a reply whose headers the encoder cannot hold', async () => {
    const { publisher, wrapper } = await setup();
    const headers = { 'x-correlation-id': 'x'.repeat(100_000) };
    await expect(
      publisher.reply('amq.rabbitmq.reply-to.abc', { headers }, { ok: true }),
    ).rejects.toBeInstanceOf(InvalidPublishPropertiesError);
    expect(wrapper.publish).not.toHaveBeenCalled();
  });

  it('refuses a reply above MAX_MESSAGE_BYTES before the broker sees it', async () => {
    const { publisher, wrapper } = await setup();
    const reply = publisher.reply('amq.rabbitmq.reply-to.abc', {}, { text: 'x'.repeat(MAX_BYTES) });
    await expect(reply).rejects.toBeInstanceOf(MessageTooLargeError);
    expect(wrapper.publish).not.toHaveBeenCalled();
  });

  it('only fails the publish whose message was returned', async () => {
    const { publisher, wrapper, channel } = await setup();
    wrapper.publish.mockImplementationOnce(() => {
      channel.emit('return', returned('other'));
      return Promise.resolve(true);
    });
    await expect(
      publisher.publishRaw('events', 'order.paid', Buffer.from('{}'), { messageId: 'mine' }),
    ).resolves.toBeUndefined();
  });

  it('publishes an outgoing message as JSON with its identity and origin', async () => {
    const { publisher, wrapper } = await setup();
    await publisher.publish({
      messageId: 'm-9',
      type: 'order.paid',
      exchange: 'events',
      routingKey: 'order.paid',
      payload: { orderId: 'o-1' },
      headers: { 'x-correlation-id': 'corr-1' },
      timestamp: new Date('2025-01-01T00:00:10.900Z'),
    });
    const [exchange, routingKey, content, options] = wrapper.publish.mock.calls[0];
    expect([exchange, routingKey]).toEqual(['events', 'order.paid']);
    expect(JSON.parse(content.toString())).toEqual({ orderId: 'o-1' });
    expect(options).toMatchObject({
      messageId: 'm-9',
      type: 'order.paid',
      timestamp: 1735689610,
      contentType: 'application/json',
      appId: 'order',
      headers: { 'x-correlation-id': 'corr-1' },
      persistent: true,
      mandatory: true,
    });
  });

  it('replies on the default exchange without mandatory, as JSON from this service', async () => {
    const { publisher, wrapper } = await setup();
    await publisher.reply('amq.rabbitmq.reply-to.abc', { correlationId: 'c-1' }, { ok: true });
    const [exchange, routingKey, content, options] = wrapper.publish.mock.calls[0];
    expect([exchange, routingKey, content.toString()]).toEqual([
      '',
      'amq.rabbitmq.reply-to.abc',
      '{"ok":true}',
    ]);
    expect(options).toMatchObject({
      correlationId: 'c-1',
      appId: 'order',
      contentType: 'application/json',
    });
    expect(options.mandatory).toBeUndefined();
  });
});
