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
  it('is the queue the consumer recorded in x-source-queue', () => {
    expect(replayTarget({ 'x-source-queue': 'elsewhere' }, 'payment.order-created.dlq')).toBe(
      'elsewhere',
    );
  });

  it('reads x-source-queue sent as bytes', () => {
    const headers = { 'x-source-queue': Buffer.from('order.payment-results') };
    expect(replayTarget(headers, 'x.dlq')).toBe('order.payment-results');
  });

  it('falls back to the dead-letter queue name without .dlq', () => {
    expect(replayTarget({ 'x-death': [] }, 'payment.order-created.dlq')).toBe(
      'payment.order-created',
    );
    expect(replayTarget(undefined, 'notification.deliver.dlq')).toBe('notification.deliver');
    expect(replayTarget({ 'x-source-queue': '  ' }, 'a.b.dlq')).toBe('a.b');
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
