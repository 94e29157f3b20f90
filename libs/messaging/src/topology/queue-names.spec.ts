import { deadLetterQueueName, ownerOfSideQueue, retryQueueName } from './queue-names';

describe('ownerOfSideQueue', () => {
  it('names the consuming queue of its dead-letter and retry queues', () => {
    const queue = 'payment.order-created';
    expect(ownerOfSideQueue(deadLetterQueueName(queue))).toEqual({ queue, role: 'dead-letter' });
    expect(ownerOfSideQueue(retryQueueName(queue, 6250))).toEqual({ queue, role: 'retry' });
  });

  it('knows no owner for a consuming queue, whatever its name holds', () => {
    for (const name of [
      'payment.order-created',
      'shop.dlq-audit',
      'q.retry',
      'q.retry.5s',
      '.dlq',
    ]) {
      expect(ownerOfSideQueue(name)).toBeUndefined();
    }
  });
});
