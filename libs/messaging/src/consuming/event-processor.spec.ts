import { defineMessage } from '@app/contracts';
import { CorrelationContext, type CorrelationIds } from '@app/correlation';
import type { Logger } from '@nestjs/common';
import type { ConsumeMessage, MessageProperties } from 'amqplib';
import { ClsService } from 'nestjs-cls';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DeferMessageError, PermanentMessageError } from '../errors';
import { consumerQueue } from '../topology/topology';
import { type BoundHandler, EventProcessor } from './event-processor';
import type { FailureRouter } from './failure-router';
import type { HandlerOutcome, HandlerTransaction, InboxEntry } from './handler-transaction';
import type { IncomingMessage } from './incoming-message';
import { MessageContext } from './message-context';
import type { Settlement } from './settlement';

const ORDER_ID = '0b6c7a8e-3f1d-4c2b-9a5e-6d7f8a9b0c1d';
const OrderCreated = defineMessage(
  'test.order-created',
  z.object({ orderId: z.uuid(), total: z.number().int() }),
);
const queue = consumerQueue({ name: 'payment.order-created', prefetch: 5 });

const fields = { deliveryTag: 1, redelivered: false, exchange: 'events', consumerTag: 'c' };

function delivery(body: string | object, properties: Partial<MessageProperties> = {}) {
  return {
    content: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    fields: { ...fields, routingKey: 'test.order-created' },
    properties: {
      messageId: 'msg-1',
      type: 'test.order-created',
      contentType: 'application/json',
      headers: { 'x-correlation-id': 'corr-1', 'x-attempt': 2 },
      ...properties,
    },
  } as ConsumeMessage;
}

/** Domain errors, named by the queue's failure policy. */
class OrderMissingError extends Error {}
class CircuitOpenError extends Error {}

function setup(
  outcome: HandlerOutcome = { kind: 'processed' },
  stopping = new AbortController().signal,
) {
  const correlation = new CorrelationContext(new ClsService(new AsyncLocalStorage()));
  const seenIds: (CorrelationIds & { messageId: string })[] = [];
  const invoke = jest.fn(async (_payload: unknown, context: MessageContext): Promise<unknown> => {
    await new Promise((resolve) => setImmediate(resolve));
    seenIds.push({ messageId: context.messageId, ...correlation.current() });
    return { handled: context.messageId };
  });
  // Records, like the workflow library's listener, whether it ran inside the inbox transaction.
  const heard: { result: unknown; messageId: string; inTransaction: boolean }[] = [];
  let transactionOpen = false;
  const results = {
    handled: jest.fn((result: unknown, context: MessageContext) => {
      heard.push({ result, messageId: context.messageId, inTransaction: transactionOpen });
      return Promise.resolve();
    }),
  };
  const handler: BoundHandler = {
    contract: OrderCreated,
    key: 'payment.order-created#test.order-created',
    invoke,
  };
  const transaction = {
    runOnce: jest.fn(
      async (_entry: InboxEntry, work: () => Promise<void>): Promise<HandlerOutcome> => {
        if (outcome.kind === 'duplicate') return outcome;
        transactionOpen = true;
        await work().finally(() => (transactionOpen = false));
        return outcome;
      },
    ),
    isUnavailable: jest.fn((error: unknown) =>
      Promise.resolve(error instanceof Error && error.message === 'db down'),
    ),
    permanentFailure: jest.fn((error: unknown) =>
      (error as { code?: unknown }).code === '54000' ? 'index row too large' : undefined,
    ),
  } satisfies HandlerTransaction;
  const router = {
    maxAttempts: 4,
    deadLetter: jest.fn((_m: IncomingMessage, _reason: string) =>
      Promise.resolve<Settlement>('ack'),
    ),
    retryLater: jest.fn((_m: IncomingMessage, _e: unknown) => Promise.resolve<Settlement>('ack')),
    deferLater: jest.fn((_m: IncomingMessage, _e: unknown) => Promise.resolve<Settlement>('ack')),
  };
  const logger = { log: jest.fn(), debug: jest.fn(), warn: jest.fn() };
  const processor = new EventProcessor(queue, new Map([[OrderCreated.type, handler]]), {
    router: router as unknown as FailureRouter,
    failures: { permanent: [OrderMissingError], defer: [CircuitOpenError] },
    transaction,
    correlation,
    maxMessageBytes: 1024,
    logger: logger as unknown as Logger,
    stopping,
    metrics: { messageSettled: jest.fn() },
    results,
  });
  return { processor, invoke, transaction, router, seenIds, logger, heard };
}

const valid = { orderId: ORDER_ID, total: 1200 };

/** The same delivery as if published with another routing key. */
const routedAs = (routingKey: string, raw: ConsumeMessage): ConsumeMessage => ({
  ...raw,
  fields: { ...raw.fields, routingKey },
});

describe('EventProcessor', () => {
  it.each([
    [
      'a message nobody handles',
      routedAs('order.refunded', delivery(valid, { type: 'order.refunded' })),
      /no handler for message type "order.refunded" on payment.order-created/,
    ],
    [
      'a message whose type contradicts its routing key',
      delivery(valid, { type: 'order.paid' }),
      /^the type "order.paid" does not match the routing key "test.order-created"$/,
    ],
    [
      'a message id above 128 characters',
      delivery(valid, { messageId: 'B'.repeat(129) }),
      /^invalid messageId: the messageId is 129 characters, above 128$/,
    ],
    [
      'a message id with characters outside the allowed set',
      delivery(valid, { messageId: 'id with spaces' }),
      /^invalid messageId: the messageId has characters outside/,
    ],
    [
      'an over-long id from the x-message-id header',
      delivery(valid, { messageId: undefined, headers: { 'x-message-id': 'B'.repeat(256) } }),
      /^invalid messageId: the messageId is 256 characters/,
    ],
    [
      'headers above 16 kB',
      delivery(valid, { headers: { 'x-correlation-id': 'c'.repeat(100_000) } }),
      /^invalid headers: the headers take \d+ bytes, above the 16384-byte limit$/,
    ],
    ['a message without messageId', delivery(valid, { messageId: undefined }), /no messageId/],
    [
      'an oversized message',
      delivery({ ...valid, note: 'x'.repeat(2000) }),
      /exceeds the 1024-byte limit/,
    ],
    [
      'a message that is not JSON',
      delivery('orderId=1', { contentType: 'text/plain' }),
      /unsupported content type "text\/plain"/,
    ],
    ['malformed JSON', delivery('{"orderId":'), /^malformed JSON: /],
    [
      'a payload breaking its contract',
      delivery({ orderId: 'nope', total: 1.5 }),
      /^invalid test.order-created payload: orderId: .+; total: .+/,
    ],
    ['an empty body', delivery(''), /^malformed JSON/],
  ])('dead-letters %s without calling the handler', async (_case, raw, reason) => {
    const { processor, invoke, transaction, router } = setup();
    router.deadLetter.mockResolvedValue('reject');
    await expect(processor.process(raw)).resolves.toBe('reject');
    expect(router.deadLetter).toHaveBeenCalledWith(
      expect.objectContaining({ raw }),
      expect.stringMatching(reason),
    );
    expect(transaction.runOnce).not.toHaveBeenCalled();
    expect(invoke).not.toHaveBeenCalled();
    expect(router.retryLater).not.toHaveBeenCalled();
  });

  it.each([
    ['from a foreign client without type', delivery(valid, { type: undefined })],
    [
      'back from a retry queue, routed by queue name',
      routedAs('payment.order-created', {
        ...delivery(valid),
        fields: { ...fields, routingKey: 'test.order-created', exchange: '' },
      }),
    ],
    ['with an id of every allowed character', delivery(valid, { messageId: 'aZ09._:@+=/-' })],
  ])('handles a message %s', async (_case, raw) => {
    const { processor, invoke, router } = setup();
    await expect(processor.process(raw)).resolves.toBe('ack');
    expect(invoke).toHaveBeenCalledWith(
      valid,
      expect.objectContaining({ type: 'test.order-created' }),
    );
    expect(router.deadLetter).not.toHaveBeenCalled();
  });

  it('runs the handler once, in the message context, with the validated payload', async () => {
    const { processor, invoke, transaction, router, seenIds } = setup();
    await expect(processor.process(delivery({ ...valid, unknownField: true }))).resolves.toBe(
      'ack',
    );
    expect(invoke).toHaveBeenCalledWith(valid, expect.any(MessageContext));
    const [, context] = invoke.mock.calls[0];
    expect({ ...context, raw: context.raw.fields.routingKey }).toEqual({
      args: [context.raw],
      messageId: 'msg-1',
      type: 'test.order-created',
      queue: 'payment.order-created',
      correlationId: 'corr-1',
      causationId: undefined,
      attempt: 2,
      maxAttempts: 4,
      headers: { 'x-correlation-id': 'corr-1', 'x-attempt': 2 },
      raw: 'test.order-created',
    });
    expect(transaction.runOnce).toHaveBeenCalledWith(
      {
        messageId: 'msg-1',
        handlerKey: 'payment.order-created#test.order-created',
        bodyHash: createHash('sha256')
          .update(JSON.stringify({ ...valid, unknownField: true }))
          .digest('hex'),
      },
      expect.any(Function),
    );
    expect(seenIds).toEqual([
      { messageId: 'msg-1', correlationId: 'corr-1', causationId: 'msg-1' },
    ]);
    expect(router.deadLetter).not.toHaveBeenCalled();
  });

  it.each(['application/json; charset=utf-8', 'Application/JSON', undefined])(
    'accepts the content type %p',
    async (contentType) => {
      const { processor, invoke } = setup();
      await expect(processor.process(delivery(valid, { contentType }))).resolves.toBe('ack');
      expect(invoke).toHaveBeenCalledTimes(1);
    },
  );

  it("tells the result listener what the handler returned, inside the handler's transaction", async () => {
    const { processor, heard } = setup();
    await expect(processor.process(delivery(valid))).resolves.toBe('ack');
    expect(heard).toEqual([
      { result: { handled: 'msg-1' }, messageId: 'msg-1', inTransaction: true },
    ]);
  });

  it('tells the result listener nothing of a failed handler or a duplicate', async () => {
    const failed = setup();
    failed.invoke.mockRejectedValueOnce(new Error('timeout'));
    await failed.processor.process(delivery(valid));
    expect(failed.heard).toEqual([]);

    const duplicate = setup({ kind: 'duplicate', storedBodyHash: undefined });
    await duplicate.processor.process(delivery(valid));
    expect(duplicate.heard).toEqual([]);
  });

  it('acks a duplicate without running the handler again', async () => {
    const hash = createHash('sha256').update(JSON.stringify(valid)).digest('hex');
    const { processor, invoke, router, logger } = setup({
      kind: 'duplicate',
      storedBodyHash: hash,
    });
    await expect(processor.process(delivery(valid))).resolves.toBe('ack');
    expect(invoke).not.toHaveBeenCalled();
    expect(router.retryLater).not.toHaveBeenCalled();
    expect(logger.log).toHaveBeenCalledWith(expect.stringMatching(/already handled$/));
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('warns, naming both body hashes, when a messageId is reused for another body', async () => {
    const stored = 'a'.repeat(64);
    const { processor, invoke, logger } = setup({ kind: 'duplicate', storedBodyHash: stored });
    await expect(processor.process(delivery(valid))).resolves.toBe('ack');
    expect(invoke).not.toHaveBeenCalled();
    const hash = createHash('sha256').update(JSON.stringify(valid)).digest('hex');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(`handled body sha256 ${stored}, this body sha256 ${hash}`),
    );
  });

  it('dead-letters at once a database error no retry can get past', async () => {
    const { processor, invoke, router } = setup();
    invoke.mockRejectedValueOnce(
      Object.assign(new Error('index row too large'), { code: '54000' }),
    );
    await expect(processor.process(delivery(valid))).resolves.toBe('ack');
    expect(router.deadLetter).toHaveBeenCalledWith(expect.anything(), 'index row too large');
    expect(router.retryLater).not.toHaveBeenCalled();
  });

  it('dead-letters a message the handler declares can never succeed', async () => {
    const { processor, invoke, router } = setup();
    invoke.mockRejectedValueOnce(new PermanentMessageError('order o-1 does not exist'));
    await expect(processor.process(delivery(valid))).resolves.toBe('ack');
    expect(router.deadLetter).toHaveBeenCalledWith(expect.anything(), 'order o-1 does not exist');
    expect(router.retryLater).not.toHaveBeenCalled();
  });

  it("dead-letters at once what the queue's policy names permanent", async () => {
    const { processor, invoke, router } = setup();
    invoke.mockRejectedValueOnce(new OrderMissingError('order o-2 does not exist'));
    await expect(processor.process(delivery(valid))).resolves.toBe('ack');
    expect(router.deadLetter).toHaveBeenCalledWith(expect.anything(), 'order o-2 does not exist');
    expect(router.retryLater).not.toHaveBeenCalled();
  });

  it("defers what the queue's policy names a dependency's outage", async () => {
    const { processor, invoke, router } = setup();
    const failure = new CircuitOpenError('circuit open');
    invoke.mockRejectedValueOnce(failure);
    await processor.process(delivery(valid));
    expect(router.deferLater).toHaveBeenCalledWith(expect.anything(), failure);
    expect(router.retryLater).not.toHaveBeenCalled();
  });

  it('retries later when the handler fails for another reason', async () => {
    const { processor, invoke, router } = setup();
    const failure = new Error('deadlock detected');
    invoke.mockRejectedValueOnce(failure);
    router.retryLater.mockResolvedValue('requeue');
    await expect(processor.process(delivery(valid))).resolves.toBe('requeue');
    expect(router.retryLater).toHaveBeenCalledWith(
      expect.objectContaining({ messageId: 'msg-1', attempt: 2 }),
      failure,
    );
    expect(router.deadLetter).not.toHaveBeenCalled();
  });

  it('retries later when the inbox transaction itself fails', async () => {
    const { processor, transaction, router } = setup();
    transaction.runOnce.mockRejectedValueOnce(new Error('connection terminated'));
    await processor.process(delivery(valid));
    expect(router.retryLater).toHaveBeenCalledWith(
      expect.anything(),
      new Error('connection terminated'),
    );
  });

  it('waits out a dependency the handler reports as down, without using an attempt', async () => {
    const { processor, invoke, router } = setup();
    invoke.mockRejectedValueOnce(new DeferMessageError('payment provider circuit is open'));
    await processor.process(delivery(valid));
    expect(router.deferLater).toHaveBeenCalled();
    expect(router.retryLater).not.toHaveBeenCalled();
  });

  it('holds a message while the database is unreachable and handles it once it is back', async () => {
    const { processor, transaction, router } = setup();
    transaction.runOnce.mockRejectedValueOnce(new Error('db down'));
    await expect(processor.process(delivery(valid))).resolves.toBe('ack');
    expect(transaction.runOnce).toHaveBeenCalledTimes(2);
    expect(router.retryLater).not.toHaveBeenCalled();
  });

  it('gives a held message back to the queue when the process shuts down', async () => {
    const shutdown = new AbortController();
    shutdown.abort();
    const { processor, transaction, router } = setup({ kind: 'processed' }, shutdown.signal);
    transaction.runOnce.mockRejectedValue(new Error('db down'));
    await expect(processor.process(delivery(valid))).resolves.toBe('release');
    expect(router.retryLater).not.toHaveBeenCalled();
  });

  it('gives a message without correlation id its message id as one, seen by the handler', async () => {
    const { processor, invoke, seenIds } = setup();
    await processor.process(delivery(valid, { headers: {} }));
    expect(invoke.mock.calls[0][1].correlationId).toBe('msg-1');
    expect(seenIds).toEqual([{ messageId: 'msg-1', correlationId: 'msg-1', causationId: 'msg-1' }]);
  });

  it('keeps the correlation ids of concurrent messages apart', async () => {
    const { processor, seenIds } = setup();
    const messages = ['a', 'b', 'c'].map((id) =>
      delivery(valid, { messageId: `m-${id}`, headers: { 'x-correlation-id': `corr-${id}` } }),
    );
    await Promise.all(messages.map((raw) => processor.process(raw)));
    expect(seenIds).toHaveLength(3);
    for (const seen of seenIds) {
      expect(seen).toEqual({
        messageId: seen.messageId,
        correlationId: seen.messageId.replace('m-', 'corr-'),
        causationId: seen.messageId,
      });
    }
  });
});
