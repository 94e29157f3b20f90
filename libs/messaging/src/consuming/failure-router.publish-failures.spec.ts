import type { Logger } from '@nestjs/common';
import type { MessagePublisher } from '../publishing/message-publisher';
import { FailureRouter, REJECT_DROPS } from './failure-router';
import { QUEUE, consumed, setup } from './failure-router.fixture';

describe('FailureRouter: a copy that cannot be published', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2025-03-04T05:06:07.000Z') }));
  afterEach(() => jest.useRealTimers());

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
