// Shared by the event-processor.*.spec.ts files.
import { defineMessage } from '@app/contracts';
import { CorrelationContext, type CorrelationIds } from '@app/correlation';
import type { Logger } from '@nestjs/common';
import type { ConsumeMessage, MessageProperties } from 'amqplib';
import { ClsService } from 'nestjs-cls';
import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';
import { consumerQueue } from '../topology/topology';
import { type BoundHandler, EventProcessor } from './event-processor';
import type { FailureRouter } from './failure-router';
import type { HandlerOutcome, HandlerTransaction, InboxEntry } from './handler-transaction';
import type { IncomingMessage } from './incoming-message';
import type { MessageContext } from './message-context';
import type { Settlement } from './settlement';

const ORDER_ID = '0b6c7a8e-3f1d-4c2b-9a5e-6d7f8a9b0c1d';
const OrderCreated = defineMessage(
  'test.order-created',
  z.object({ orderId: z.uuid(), total: z.number().int() }),
);
const queue = consumerQueue({ name: 'payment.order-created', prefetch: 5 });

export const fields = { deliveryTag: 1, redelivered: false, exchange: 'events', consumerTag: 'c' };

export function delivery(body: string | object, properties: Partial<MessageProperties> = {}) {
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
export class OrderMissingError extends Error {}
export class CircuitOpenError extends Error {}

export function setup(
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

export const valid = { orderId: ORDER_ID, total: 1200 };

/** The same delivery as if published with another routing key. */
export const routedAs = (routingKey: string, raw: ConsumeMessage): ConsumeMessage => ({
  ...raw,
  fields: { ...raw.fields, routingKey },
});
