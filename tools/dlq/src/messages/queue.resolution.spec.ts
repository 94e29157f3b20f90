import { deadLetterQueueOf, replayTarget, sourceQueueOf } from './queue.resolution';

describe('deadLetterQueueOf', () => {
  it.each([
    ['payment.order-created', 'payment.order-created.dlq'],
    ['payment.order-created.dlq', 'payment.order-created.dlq'],
    ['  payment.order-created  ', 'payment.order-created.dlq'],
  ])('reads %j as %s', (input, expected) => expect(deadLetterQueueOf(input)).toBe(expected));

  it.each(['', '   ', '.dlq'])('refuses %j', (input) =>
    expect(() => deadLetterQueueOf(input)).toThrow('the queue name is empty'),
  );
});

describe('replayTarget', () => {
  it('is the queue the dead-letter queue collects for, as x-source-queue records it', () => {
    const headers = { 'x-source-queue': 'payment.order-created' };
    expect(replayTarget(headers, 'payment.order-created.dlq')).toEqual({
      target: 'payment.order-created',
    });
  });

  it('reads x-source-queue sent as bytes', () => {
    const headers = { 'x-source-queue': Buffer.from('order.payment-results') };
    expect(replayTarget(headers, 'order.payment-results.dlq')).toEqual({
      target: 'order.payment-results',
    });
  });

  it('refuses an x-source-queue naming another queue than the one the name gives', () => {
    const headers = { 'x-source-queue': 'events.log' };
    expect(replayTarget(headers, 'payment.order-created.dlq')).toEqual({
      target: 'payment.order-created',
      problem:
        'its x-source-queue names events.log, but payment.order-created.dlq collects for payment.order-created',
    });
  });

  it('goes by the name when the header is missing (a copy the broker dead-lettered)', () => {
    expect(replayTarget({ 'x-death': [] }, 'payment.order-created.dlq')).toEqual({
      target: 'payment.order-created',
    });
    expect(replayTarget(undefined, 'notification.deliver.dlq').target).toBe('notification.deliver');
    expect(replayTarget({ 'x-source-queue': '  ' }, 'a.b.dlq')).toEqual({ target: 'a.b' });
  });

  it('leaves a name without the suffix as it is', () => {
    expect(sourceQueueOf('odd-queue')).toBe('odd-queue');
  });

  it('leaves a retry queue as it is: it collects no failures', () => {
    expect(sourceQueueOf('payment.order-created.retry.1000ms')).toBe(
      'payment.order-created.retry.1000ms',
    );
  });
});
