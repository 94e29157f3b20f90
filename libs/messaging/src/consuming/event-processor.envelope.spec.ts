import { delivery, fields, routedAs, setup, valid } from './event-processor.fixture';

describe('EventProcessor: envelope', () => {
  it.each([
    [
      'a message nobody handles',
      routedAs('order.refunded', delivery(valid, { type: 'order.refunded' })),
      /no handler for message type "order.refunded" on payment.order-created/,
    ],
    [
      'a message whose type contradicts its routing key',
      delivery(valid, { type: 'order.paid' }),
      /^the type "order.paid" does not match the routing key "test.order-created"$/,
    ],
    [
      'a message id above 128 characters',
      delivery(valid, { messageId: 'B'.repeat(129) }),
      /^invalid messageId: the messageId is 129 characters, above 128$/,
    ],
    [
      'a message id with characters outside the allowed set',
      delivery(valid, { messageId: 'id with spaces' }),
      /^invalid messageId: the messageId has characters outside/,
    ],
    [
      'an over-long id from the x-message-id header',
      delivery(valid, { messageId: undefined, headers: { 'x-message-id': 'B'.repeat(256) } }),
      /^invalid messageId: the messageId is 256 characters/,
    ],
    [
      'headers above 16 kB',
      delivery(valid, { headers: { 'x-correlation-id': 'c'.repeat(100_000) } }),
      /^invalid headers: the headers take \d+ bytes, above the 16384-byte limit$/,
    ],
    ['a message without messageId', delivery(valid, { messageId: undefined }), /no messageId/],
    [
      'an oversized message',
      delivery({ ...valid, note: 'x'.repeat(2000) }),
      /exceeds the 1024-byte limit/,
    ],
    [
      'a message that is not JSON',
      delivery('orderId=1', { contentType: 'text/plain' }),
      /unsupported content type "text\/plain"/,
    ],
    ['malformed JSON', delivery('{"orderId":'), /^malformed JSON: /],
    [
      'a payload breaking its contract',
      delivery({ orderId: 'nope', total: 1.5 }),
      /^invalid test.order-created payload: orderId: .+; total: .+/,
    ],
    ['an empty body', delivery(''), /^malformed JSON/],
  ])('dead-letters %s without calling the handler', async (_case, raw, reason) => {
    const { processor, invoke, transaction, router } = setup();
    router.deadLetter.mockResolvedValue('reject');
    await expect(processor.process(raw)).resolves.toBe('reject');
    expect(router.deadLetter).toHaveBeenCalledWith(
      expect.objectContaining({ raw }),
      expect.stringMatching(reason),
    );
    expect(transaction.runOnce).not.toHaveBeenCalled();
    expect(invoke).not.toHaveBeenCalled();
    expect(router.retryLater).not.toHaveBeenCalled();
  });

  it.each([
    ['from a foreign client without type', delivery(valid, { type: undefined })],
    [
      'back from a retry queue, routed by queue name',
      routedAs('payment.order-created', {
        ...delivery(valid),
        fields: { ...fields, routingKey: 'test.order-created', exchange: '' },
      }),
    ],
    ['with an id of every allowed character', delivery(valid, { messageId: 'aZ09._:@+=/-' })],
  ])('handles a message %s', async (_case, raw) => {
    const { processor, invoke, router } = setup();
    await expect(processor.process(raw)).resolves.toBe('ack');
    expect(invoke).toHaveBeenCalledWith(
      valid,
      expect.objectContaining({ type: 'test.order-created' }),
    );
    expect(router.deadLetter).not.toHaveBeenCalled();
  });

  it.each(['application/json; charset=utf-8', 'Application/JSON', undefined])(
    'accepts the content type %p',
    async (contentType) => {
      const { processor, invoke } = setup();
      await expect(processor.process(delivery(valid, { contentType }))).resolves.toBe('ack');
      expect(invoke).toHaveBeenCalledTimes(1);
    },
  );
});
