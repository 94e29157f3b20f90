// Shared by the rpc-processor.*.spec.ts files.
import { GetPaymentByOrder } from '@app/contracts';
import { CorrelationContext, type CorrelationIds } from '@app/correlation';
import type { Logger } from '@nestjs/common';
import type { ConsumeMessage, MessageProperties, Options } from 'amqplib';
import { ClsService } from 'nestjs-cls';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FailureRouter } from '../consuming/failure-router';
import type { IncomingMessage } from '../consuming/incoming-message';
import type { Settlement } from '../consuming/settlement';
import type { MessagePublisher } from '../publishing/message-publisher';
import { rpcQueue } from '../topology/topology';
import { RpcProcessor } from './rpc-processor';

export const ORDER_ID = '0b6c7a8e-3f1d-4c2b-9a5e-6d7f8a9b0c1d';
export const PAYMENT_ID = '7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const queue = rpcQueue({
  name: 'payment.get-by-order',
  binding: { exchange: 'rpc', routingKey: 'payment.get-by-order' },
  prefetch: 5,
});

export function request(body: unknown, properties: Partial<MessageProperties> = {}) {
  const content = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const fields = { deliveryTag: 1, redelivered: false, exchange: 'rpc', consumerTag: 'c' };
  return {
    content,
    fields: { ...fields, routingKey: 'payment.get-by-order' },
    properties: {
      messageId: 'req-1',
      replyTo: 'amq.rabbitmq.reply-to.g1h2',
      correlationId: 'call-7',
      contentType: 'application/json',
      headers: { 'x-correlation-id': 'corr-1' },
      ...properties,
    },
  } as ConsumeMessage;
}

export function setup() {
  const correlation = new CorrelationContext(new ClsService(new AsyncLocalStorage()));
  const seenIds: CorrelationIds[] = [];
  const invoke = jest.fn((_request: unknown): Promise<unknown> => {
    seenIds.push(correlation.current());
    return Promise.resolve({ status: 'SUCCEEDED', paymentId: PAYMENT_ID });
  });
  const reply = jest.fn<Promise<void>, [string, Options.Publish, unknown]>();
  reply.mockResolvedValue(undefined);
  const deadLetter = jest.fn((_m: IncomingMessage, _r: string) =>
    Promise.resolve<Settlement>('ack'),
  );
  const logger = { warn: jest.fn(), error: jest.fn() };
  const processor = new RpcProcessor(
    queue,
    { contract: GetPaymentByOrder, invoke },
    {
      publisher: { reply } as unknown as MessagePublisher,
      router: { deadLetter } as unknown as FailureRouter,
      correlation,
      maxMessageBytes: 1024,
      logger: logger as unknown as Logger,
      metrics: { messageSettled: jest.fn() },
    },
  );
  const sentReply = () => {
    expect(reply).toHaveBeenCalledTimes(1);
    const [replyTo, properties, payload] = reply.mock.calls[0];
    return { replyTo, properties, payload };
  };
  return { processor, invoke, reply, deadLetter, logger, seenIds, sentReply };
}
