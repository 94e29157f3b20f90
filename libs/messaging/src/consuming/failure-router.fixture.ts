// Shared by the failure-router.*.spec.ts files.
import type { Logger } from '@nestjs/common';
import type { ConsumeMessage, MessageProperties, Options } from 'amqplib';
import type { MessagePublisher } from '../publishing/message-publisher';
import { FailureRouter } from './failure-router';
import { readIncomingMessage } from './incoming-message';

export const QUEUE = 'payment.order-created';
export const BODY = Buffer.from('{"orderId":"o-1"}');

export function consumed(
  properties: Partial<MessageProperties> = {},
  routingKey = 'order.created',
) {
  const raw = {
    content: BODY,
    fields: {
      deliveryTag: 7,
      redelivered: false,
      exchange: 'events',
      routingKey,
      consumerTag: 'c',
    },
    properties: {
      messageId: 'msg-1',
      type: 'order.created',
      timestamp: 1_700_000_000,
      contentType: 'application/json',
      appId: 'order',
      userId: 'guest',
      expiration: '60000',
      headers: { 'x-correlation-id': 'corr-1', 'x-tenant': 'acme' },
      ...properties,
    },
  } as ConsumeMessage;
  return readIncomingMessage(raw, QUEUE, 3);
}

export function setup(retryDelaysMs = [1000, 5000], random = () => 0) {
  const publishRaw = jest.fn<Promise<void>, [string, string, Buffer, Options.Publish]>();
  publishRaw.mockResolvedValue(undefined);
  const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
  const metrics = { messageSettled: jest.fn() };
  const router = new FailureRouter(
    { publishRaw } as unknown as MessagePublisher,
    QUEUE,
    retryDelaysMs,
    logger as unknown as Logger,
    metrics,
    { random },
  );
  const published = () => {
    expect(publishRaw).toHaveBeenCalledTimes(1);
    const [exchange, routingKey, content, properties] = publishRaw.mock.calls[0];
    // The headers as a consumer would read them (Options.Publish types them as any).
    const headers = properties.headers as MessageProperties['headers'];
    return { exchange, routingKey, content, properties, headers };
  };
  return { router, publishRaw, published, metrics, logger };
}
