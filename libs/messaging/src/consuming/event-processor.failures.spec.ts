import { DeferMessageError, PermanentMessageError } from '../errors';
import {
  CircuitOpenError,
  delivery,
  OrderMissingError,
  setup,
  valid,
} from './event-processor.fixture';

describe('EventProcessor: failures', () => {
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
});
