import { ORDER_ID, PAYMENT_ID, request, setup } from './rpc-processor.fixture';

describe('RpcProcessor', () => {
  it('answers a valid request on its reply address with the correlation ids', async () => {
    const { processor, invoke, sentReply } = setup();
    await expect(processor.process(request({ orderId: ORDER_ID }))).resolves.toBe('ack');
    expect(invoke).toHaveBeenCalledWith(
      { orderId: ORDER_ID },
      expect.objectContaining({ messageId: 'req-1', correlationId: 'corr-1', attempt: 1 }),
    );
    const { replyTo, properties, payload } = sentReply();
    expect(replyTo).toBe('amq.rabbitmq.reply-to.g1h2');
    expect(payload).toEqual({ status: 'SUCCEEDED', paymentId: PAYMENT_ID });
    expect(properties).toMatchObject({
      correlationId: 'call-7',
      type: 'payment.get-by-order.reply',
      headers: { 'x-correlation-id': 'corr-1', 'x-causation-id': 'req-1' },
    });
    expect(properties.messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("runs the responder in the request's correlation context", async () => {
    const { processor, seenIds } = setup();
    await processor.process(request({ orderId: ORDER_ID }));
    expect(seenIds).toEqual([{ correlationId: 'corr-1', causationId: 'req-1' }]);
  });

  it.each(['payment.order-created', 'amq.gen', 'amq.rabbitmq.reply-to-x', 'amq.gen-a b'])(
    'dead-letters a request whose replyTo %p is not a reply queue, unanswered',
    async (replyTo) => {
      const { processor, invoke, reply, deadLetter } = setup();
      await processor.process(request({ orderId: ORDER_ID }, { replyTo }));
      expect(deadLetter).toHaveBeenCalledWith(
        expect.objectContaining({ messageId: 'req-1' }),
        `the replyTo "${replyTo}" is not a reply queue (amq.rabbitmq.reply-to… or amq.gen-…)`,
      );
      expect(invoke).not.toHaveBeenCalled();
      expect(reply).not.toHaveBeenCalled();
    },
  );

  it.each(['amq.rabbitmq.reply-to', 'amq.gen-JzTY20BRgKO-HjmUJj0wLg'])(
    'answers a request whose replyTo is the reply queue %p',
    async (replyTo) => {
      const { processor, reply } = setup();
      await processor.process(request({ orderId: ORDER_ID }, { replyTo }));
      expect(reply).toHaveBeenCalledWith(replyTo, expect.anything(), expect.anything());
    },
  );

  it.each([
    ['no reply address', { replyTo: undefined }],
    ['no correlationId', { correlationId: undefined }],
  ])('dead-letters a request with %s, unanswered', async (_case, properties) => {
    const { processor, invoke, reply, deadLetter } = setup();
    await processor.process(request({ orderId: ORDER_ID }, properties));
    expect(deadLetter).toHaveBeenCalledWith(
      expect.objectContaining({ messageId: 'req-1' }),
      'RPC request without replyTo and correlationId',
    );
    expect(invoke).not.toHaveBeenCalled();
    expect(reply).not.toHaveBeenCalled();
  });

  it.each([
    ['a number', (deadline: number): unknown => deadline],
    ['text', (deadline: number): unknown => String(deadline)],
  ])(
    'acks a request past its deadline, sent as %s, without answering it',
    async (_case, asHeader) => {
      const { processor, invoke, reply } = setup();
      const headers = { 'x-correlation-id': 'corr-1', 'x-deadline': asHeader(Date.now() - 1) };
      await expect(processor.process(request({ orderId: ORDER_ID }, { headers }))).resolves.toBe(
        'ack',
      );
      expect(invoke).not.toHaveBeenCalled();
      expect(reply).not.toHaveBeenCalled();
    },
  );

  it('answers a request whose deadline is still ahead', async () => {
    const { processor, invoke } = setup();
    const headers = { 'x-deadline': Date.now() + 60_000 };
    await processor.process(request({ orderId: ORDER_ID }, { headers }));
    expect(invoke).toHaveBeenCalledTimes(1);
  });
});
