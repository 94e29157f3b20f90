import type { Logger } from '@nestjs/common';
import type { ConsumeMessage, MessageProperties, Options } from 'amqplib';
import type { MessagePublisher } from '../publishing/message-publisher';
import type { DeadLetterRecord } from './dead-letter-record';
import { FailureRouter, MAX_DEFERRALS, REJECT_DROPS } from './failure-router';
import { readIncomingMessage } from './incoming-message';

const QUEUE = 'payment.order-created';
const BODY = Buffer.from('{"orderId":"o-1"}');

function consumed(properties: Partial<MessageProperties> = {}, routingKey = 'order.created') {
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

function setup(retryDelaysMs = [1000, 5000], random = () => 0) {
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
    return { exchange, routingKey, content, properties, headers: properties.headers };
  };
  return { router, publishRaw, published, metrics, logger };
}

describe('FailureRouter', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2025-03-04T05:06:07.000Z') }));
  afterEach(() => jest.useRealTimers());

  it('allows one attempt more than there are retry delays', () => {
    expect(setup([1000, 5000, 25000]).router.maxAttempts).toBe(4);
    expect(setup([]).router.maxAttempts).toBe(1);
  });

  it('schedules a failed first attempt on the first retry queue and acks the original', async () => {
    const { router, published } = setup();
    await expect(router.retryLater(consumed(), new Error('db down'))).resolves.toBe('ack');
    const copy = published();
    expect(copy.exchange).toBe('');
    expect(copy.routingKey).toBe(`${QUEUE}.retry.1000ms`);
    expect(copy.content).toBe(BODY);
    expect(copy.headers).toEqual({
      'x-correlation-id': 'corr-1',
      'x-tenant': 'acme',
      'x-attempt': 2,
      'x-last-error': 'db down',
    });
    expect(copy.properties).toMatchObject({ messageId: 'msg-1', type: 'order.created' });
  });

  it('waits longer on each further attempt', async () => {
    const { router, published } = setup();
    await router.retryLater(consumed({ headers: { 'x-attempt': 2 } }), new Error('timeout'));
    expect(published().routingKey).toBe(`${QUEUE}.retry.5000ms`);
    expect(published().headers).toMatchObject({ 'x-attempt': 3 });
  });

  it('spreads retries of the same attempt over the jittered delays', async () => {
    const queues = new Set<string>();
    for (const random of [0, 0.4, 0.99]) {
      const { router, published } = setup([1000, 5000], () => random);
      await router.retryLater(consumed(), new Error('timeout'));
      queues.add(published().routingKey);
    }
    expect([...queues]).toEqual(
      ['1000ms', '1250ms', '1500ms'].map((delay) => `${QUEUE}.retry.${delay}`),
    );
  });

  it('dead-letters after the last attempt, keeping body, headers and identity', async () => {
    const { router, published } = setup();
    const message = consumed({ headers: { 'x-correlation-id': 'corr-1', 'x-attempt': 3 } });
    await expect(router.retryLater(message, new Error('db down'))).resolves.toBe('ack');
    const copy = published();
    expect(copy.routingKey).toBe(`${QUEUE}.dlq`);
    expect(copy.content).toBe(BODY);
    expect(copy.headers).toEqual({
      'x-correlation-id': 'corr-1',
      'x-attempt': 3,
      'x-error': 'db down (gave up after 3 attempts)',
      'x-attempts': 3,
      'x-source-queue': QUEUE,
      'x-failed-at': '2025-03-04T05:06:07.000Z',
    });
    expect(copy.properties).toMatchObject({
      messageId: 'msg-1',
      type: 'order.created',
      timestamp: 1_700_000_000,
      contentType: 'application/json',
      appId: 'order',
      persistent: true,
    });
  });

  it('does not copy userId or expiration, so the copy is accepted and never expires', async () => {
    const { router, publishRaw } = setup();
    await router.deadLetter(consumed(), 'unknown type');
    await router.retryLater(consumed(), new Error('db down'));
    expect(publishRaw).toHaveBeenCalledTimes(2);
    for (const [, , , properties] of publishRaw.mock.calls) {
      expect(properties).not.toHaveProperty('userId');
      expect(properties).not.toHaveProperty('expiration');
    }
  });

  it.each([9, 999, -1, '3'])(
    'reads a forged x-attempt %p as the first attempt: the first retry delay, then the next',
    async (forged) => {
      const { router, published } = setup();
      await router.retryLater(consumed({ headers: { 'x-attempt': forged } }), new Error('down'));
      expect(published().routingKey).toBe(`${QUEUE}.retry.1000ms`);
      expect(published().headers).toMatchObject({ 'x-attempt': 2 });
    },
  );

  it('dead-letters after the last attempt its own count allows', async () => {
    const { router, published } = setup();
    await router.retryLater(consumed({ headers: { 'x-attempt': 3 } }), new Error('still down'));
    expect(published().routingKey).toBe(`${QUEUE}.dlq`);
    expect(published().headers).toMatchObject({ 'x-attempts': 3 });
  });

  it('acks a duplicate delivery whose copy is already dead-lettered, without a second copy', async () => {
    const copyOnce = jest.fn().mockResolvedValue('already');
    const { publishRaw, metrics, logger } = setup();
    const router = new FailureRouter(
      { publishRaw } as unknown as MessagePublisher,
      QUEUE,
      [1000],
      logger as unknown as Logger,
      metrics,
      { record: { copyOnce } as unknown as DeadLetterRecord },
    );
    await expect(router.deadLetter(consumed(), 'invalid payload')).resolves.toBe('ack');
    expect(copyOnce).toHaveBeenCalledTimes(1);
    expect(metrics.messageSettled).toHaveBeenCalledWith(QUEUE, 'order.created', 'duplicate');
  });

  it('writes the routing key as type when the sender set no type property', async () => {
    const { router, published } = setup();
    await router.retryLater(consumed({ type: undefined }, 'order.paid'), new Error('x'));
    expect(published().properties.type).toBe('order.paid');
  });

  it('dead-letters at once with the given reason and the current attempt count', async () => {
    const { router, published } = setup();
    await expect(router.deadLetter(consumed(), 'malformed JSON')).resolves.toBe('ack');
    expect(published().headers).toMatchObject({ 'x-error': 'malformed JSON', 'x-attempts': 1 });
  });

  it('dead-letters a message the wire cannot copy as it came, saying what changed', async () => {
    const { router, published } = setup();
    const message = consumed({
      messageId: undefined,
      headers: { 'x-message-id': 'B'.repeat(256), 'x-correlation-id': 'c'.repeat(100_000) },
    });
    await router.deadLetter(message, 'invalid messageId: too long');
    const copy = published();
    expect(copy.properties.messageId).toBeUndefined();
    expect(copy.headers?.['x-original-message-id']).toBe('B'.repeat(256));
    expect(String(copy.headers?.['x-error'])).toBe(
      'invalid messageId: too long; the copy: messageId of 256 bytes moved to ' +
        'x-original-message-id, header x-correlation-id trimmed from 100000 bytes',
    );
  });

  it('shortens a very long reason', async () => {
    const { router, published } = setup();
    await router.retryLater(consumed(), new Error('e'.repeat(5000)));
    const lastError = published().headers?.['x-last-error'] as string;
    expect(lastError).toHaveLength(500);
    expect(lastError.endsWith('…')).toBe(true);
  });

  it('keeps the attempt count in x-error when the last error is very long', async () => {
    const { router, published } = setup([1000]);
    await router.retryLater(consumed({ headers: { 'x-attempt': 2 } }), new Error('e'.repeat(600)));
    expect(String(published().headers?.['x-error'])).toMatch(/… \(gave up after 2 attempts\)$/);
    expect(String(published().headers?.['x-error']).length).toBeLessThanOrEqual(500);
  });

  it('defers to the longest retry queue without using an attempt', async () => {
    const { router, published } = setup([1000, 5000]);
    const settlement = await router.deferLater(
      consumed({ headers: { 'x-attempt': 2 } }),
      new Error('circuit open'),
    );
    expect(settlement).toBe('ack');
    const { routingKey, headers } = published();
    expect(routingKey).toBe(`${QUEUE}.retry.5000ms`);
    expect(headers).toMatchObject({
      'x-attempt': 2,
      'x-deferrals': 1,
      'x-last-error': 'circuit open',
    });
  });

  it(`counts a failure as an attempt again after ${MAX_DEFERRALS} deferrals`, async () => {
    const { router, published } = setup([1000, 5000]);
    await router.deferLater(
      consumed({ headers: { 'x-attempt': 1, 'x-deferrals': MAX_DEFERRALS } }),
      new Error('circuit open'),
    );
    expect(published()).toMatchObject({
      routingKey: `${QUEUE}.retry.1000ms`,
      headers: { 'x-attempt': 2, 'x-deferrals': MAX_DEFERRALS },
    });
  });

  it('counts what became of each message for the metrics', async () => {
    const { router, metrics } = setup([1000]);
    await router.retryLater(consumed(), new Error('once'));
    await router.deferLater(consumed(), new Error('circuit open'));
    await router.deadLetter(consumed(), 'broken');
    expect(metrics.messageSettled.mock.calls).toEqual([
      [QUEUE, 'order.created', 'retry'],
      [QUEUE, 'order.created', 'deferred'],
      [QUEUE, 'order.created', 'dead_lettered'],
    ]);
  });

  it('records a thrown non-Error as text', async () => {
    const { router, published } = setup();
    await router.retryLater(consumed(), 'socket hang up');
    expect(published().headers).toMatchObject({ 'x-last-error': 'socket hang up' });
  });

  it('rejects the original when the dead-letter copy cannot be published, counted as rejected', async () => {
    const { router, publishRaw, metrics } = setup();
    publishRaw.mockRejectedValue(new Error('channel closed'));
    await expect(router.deadLetter(consumed(), 'bad payload')).resolves.toBe('reject');
    const last = consumed({ headers: { 'x-attempt': 3 } });
    await expect(router.retryLater(last, new Error('x'))).resolves.toBe('reject');
    expect(metrics.messageSettled.mock.calls).toEqual([
      [QUEUE, 'order.created', 'rejected'],
      [QUEUE, 'order.created', 'rejected'],
    ]);
  });

  it('says what the broker does with a rejected message of its queue', async () => {
    const { router, publishRaw, logger } = setup();
    publishRaw.mockRejectedValue(new Error('channel closed'));
    await router.deadLetter(consumed(), 'bad payload');
    expect(logger.error).toHaveBeenCalledWith(expect.stringMatching(/the broker dead-letters it$/));
    const metrics = { messageSettled: jest.fn() };
    const rpc = new FailureRouter(
      { publishRaw } as unknown as MessagePublisher,
      'payment.rpc.authorize',
      [],
      logger as unknown as Logger,
      metrics,
      { onReject: REJECT_DROPS },
    );
    await expect(rpc.deadLetter(consumed(), 'no replyTo')).resolves.toBe('reject');
    expect(logger.error).toHaveBeenLastCalledWith(
      expect.stringMatching(/dropping it: an RPC queue has no dead-letter exchange$/),
    );
    // Not a dead letter: nothing of it reaches a .dlq for the alert to send someone to.
    expect(metrics.messageSettled).toHaveBeenCalledWith(
      'payment.rpc.authorize',
      'order.created',
      'dropped',
    );
  });

  it('requeues the original when the retry copy cannot be published', async () => {
    const { router, publishRaw } = setup();
    publishRaw.mockRejectedValue(new Error('channel closed'));
    await expect(router.retryLater(consumed(), new Error('db down'))).resolves.toBe('requeue');
  });
});
