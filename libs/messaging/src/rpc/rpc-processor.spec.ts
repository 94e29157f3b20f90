import { GetPaymentByOrder } from '@app/contracts';
import { CorrelationContext, type CorrelationIds } from '@app/correlation';
import type { Logger } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import type { ConsumeMessage, MessageProperties, Options } from 'amqplib';
import { ClsService } from 'nestjs-cls';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FailureRouter } from '../consuming/failure-router';
import { MessageTooLargeError, PermanentMessageError } from '../errors';
import type { IncomingMessage } from '../consuming/incoming-message';
import type { Settlement } from '../consuming/settlement';
import type { MessagePublisher } from '../publishing/message-publisher';
import { rpcQueue } from '../topology/topology';
import { RpcProcessor } from './rpc-processor';

const ORDER_ID = '0b6c7a8e-3f1d-4c2b-9a5e-6d7f8a9b0c1d';
const PAYMENT_ID = '7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const queue = rpcQueue({
  name: 'payment.get-by-order',
  binding: { exchange: 'rpc', routingKey: 'payment.get-by-order' },
  prefetch: 5,
});

function request(body: unknown, properties: Partial<MessageProperties> = {}) {
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

function setup() {
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

describe('RpcProcessor', () => {
  it('answers a valid request on its reply address with the correlation ids', async () => {
    const { processor, invoke, sentReply } = setup();
    await expect(processor.process(request({ orderId: ORDER_ID }))).resolves.toBe('ack');
    expect(invoke).toHaveBeenCalledWith(
      { orderId: ORDER_ID },
      expect.objectContaining({ messageId: 'req-1', correlationId: 'corr-1', attempt: 1 }),
    );
    const { replyTo, properties, payload } = sentReply();
    expect(replyTo).toBe('amq.rabbitmq.reply-to.g1h2');
    expect(payload).toEqual({ status: 'SUCCEEDED', paymentId: PAYMENT_ID });
    expect(properties).toMatchObject({
      correlationId: 'call-7',
      type: 'payment.get-by-order.reply',
      headers: { 'x-correlation-id': 'corr-1', 'x-causation-id': 'req-1' },
    });
    expect(properties.messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("runs the responder in the request's correlation context", async () => {
    const { processor, seenIds } = setup();
    await processor.process(request({ orderId: ORDER_ID }));
    expect(seenIds).toEqual([{ correlationId: 'corr-1', causationId: 'req-1' }]);
  });

  it.each(['payment.order-created', 'amq.gen', 'amq.rabbitmq.reply-to-x', 'amq.gen-a b'])(
    'dead-letters a request whose replyTo %p is not a reply queue, unanswered',
    async (replyTo) => {
      const { processor, invoke, reply, deadLetter } = setup();
      await processor.process(request({ orderId: ORDER_ID }, { replyTo }));
      expect(deadLetter).toHaveBeenCalledWith(
        expect.objectContaining({ messageId: 'req-1' }),
        `the replyTo "${replyTo}" is not a reply queue (amq.rabbitmq.reply-to… or amq.gen-…)`,
      );
      expect(invoke).not.toHaveBeenCalled();
      expect(reply).not.toHaveBeenCalled();
    },
  );

  it.each(['amq.rabbitmq.reply-to', 'amq.gen-JzTY20BRgKO-HjmUJj0wLg'])(
    'answers a request whose replyTo is the reply queue %p',
    async (replyTo) => {
      const { processor, reply } = setup();
      await processor.process(request({ orderId: ORDER_ID }, { replyTo }));
      expect(reply).toHaveBeenCalledWith(replyTo, expect.anything(), expect.anything());
    },
  );

  it.each([
    ['no reply address', { replyTo: undefined }],
    ['no correlationId', { correlationId: undefined }],
  ])('dead-letters a request with %s, unanswered', async (_case, properties) => {
    const { processor, invoke, reply, deadLetter } = setup();
    await processor.process(request({ orderId: ORDER_ID }, properties));
    expect(deadLetter).toHaveBeenCalledWith(
      expect.objectContaining({ messageId: 'req-1' }),
      'RPC request without replyTo and correlationId',
    );
    expect(invoke).not.toHaveBeenCalled();
    expect(reply).not.toHaveBeenCalled();
  });

  it.each([
    ['a number', (deadline: number): unknown => deadline],
    ['text', (deadline: number): unknown => String(deadline)],
  ])(
    'acks a request past its deadline, sent as %s, without answering it',
    async (_case, asHeader) => {
      const { processor, invoke, reply } = setup();
      const headers = { 'x-correlation-id': 'corr-1', 'x-deadline': asHeader(Date.now() - 1) };
      await expect(processor.process(request({ orderId: ORDER_ID }, { headers }))).resolves.toBe(
        'ack',
      );
      expect(invoke).not.toHaveBeenCalled();
      expect(reply).not.toHaveBeenCalled();
    },
  );

  it('answers a request whose deadline is still ahead', async () => {
    const { processor, invoke } = setup();
    const headers = { 'x-deadline': Date.now() + 60_000 };
    await processor.process(request({ orderId: ORDER_ID }, { headers }));
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['breaks the request schema', { orderId: 'not-a-uuid' }, /^orderId: /],
    ['is not JSON', '{"orderId"', /^malformed JSON/],
  ])('answers INVALID_REQUEST when the request %s', async (_case, body, message) => {
    const { processor, invoke, sentReply } = setup();
    await expect(processor.process(request(body))).resolves.toBe('ack');
    expect(sentReply().payload).toEqual({
      error: { code: 'INVALID_REQUEST', message: expect.stringMatching(message) },
    });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('answers INTERNAL without the error text or stack when the responder throws', async () => {
    const { processor, invoke, logger, sentReply } = setup();
    invoke.mockRejectedValueOnce(new Error('auth failed for postgres://pay:s3cr3t@db'));
    await expect(processor.process(request({ orderId: ORDER_ID }))).resolves.toBe('ack');
    const { payload } = sentReply();
    expect(payload).toEqual({
      error: { code: 'INTERNAL', message: 'The responder could not answer; see its logs' },
    });
    expect(JSON.stringify(payload)).not.toMatch(/s3cr3t|\bat\b/);
    expect(logger.error).toHaveBeenCalled();
  });

  it.each([
    ["a guard's refusal", new RpcException('Forbidden resource'), 'Forbidden resource'],
    ['an RpcException with an object', new RpcException({ why: 'closed' }), '{"why":"closed"}'],
    ['a PermanentMessageError', new PermanentMessageError('no such order'), 'no such order'],
  ])('answers REFUSED with the reason of %s, logged as a warning', async (_name, error, reason) => {
    const { processor, invoke, logger, sentReply } = setup();
    invoke.mockRejectedValueOnce(error);
    await expect(processor.process(request({ orderId: ORDER_ID }))).resolves.toBe('ack');
    expect(sentReply().payload).toEqual({ error: { code: 'REFUSED', message: reason } });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining(reason));
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('answers INTERNAL when the responder returns a reply breaking the contract', async () => {
    const { processor, invoke, sentReply } = setup();
    invoke.mockResolvedValueOnce({ status: 'MAYBE' });
    await processor.process(request({ orderId: ORDER_ID }));
    expect(sentReply().payload).toMatchObject({ error: { code: 'INTERNAL' } });
  });

  it('answers INTERNAL, at once, when the reply is too large to send', async () => {
    const { processor, reply, logger } = setup();
    reply.mockRejectedValueOnce(new MessageTooLargeError(5_000_000, 1024));
    await expect(processor.process(request({ orderId: ORDER_ID }))).resolves.toBe('ack');
    await new Promise((resolve) => setImmediate(resolve)); // the reply goes after the ack
    expect(reply).toHaveBeenCalledTimes(2);
    const [replyTo, properties, payload] = reply.mock.calls[1];
    expect(replyTo).toBe('amq.rabbitmq.reply-to.g1h2');
    expect(properties).toMatchObject({ correlationId: 'call-7' });
    expect(payload).toEqual({
      error: { code: 'INTERNAL', message: 'The reply is too large to send; see its logs' },
    });
    expect(logger.error).toHaveBeenCalledWith(expect.stringMatching(/above the 1024-byte limit/));
  });

  it('still acks the request when the reply cannot be sent', async () => {
    const { processor, reply, logger } = setup();
    reply.mockRejectedValueOnce(new Error('channel closed'));
    await expect(processor.process(request({ orderId: ORDER_ID }))).resolves.toBe('ack');
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('channel closed'));
  });
});
