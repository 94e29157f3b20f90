import type { Logger } from '@nestjs/common';
import type { MessagePublisher } from '../publishing/message-publisher';
import type { DeadLetterRecord } from './dead-letter-record';
import { FailureRouter } from './failure-router';
import { BODY, QUEUE, consumed, setup } from './failure-router.fixture';

describe('FailureRouter: dead-lettering', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2025-03-04T05:06:07.000Z') }));
  afterEach(() => jest.useRealTimers());

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
});
