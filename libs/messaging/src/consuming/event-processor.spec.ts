import { createHash } from 'node:crypto';
import { delivery, setup, valid } from './event-processor.fixture';
import { MessageContext } from './message-context';

describe('EventProcessor', () => {
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
