import type { ConsumeMessage, MessageProperties } from 'amqplib';
import { readIncomingMessage, sentCorrelationId } from './incoming-message';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function delivery(
  properties: Partial<MessageProperties> = {},
  routingKey = 'order.created',
): ConsumeMessage {
  return {
    content: Buffer.from('{}'),
    fields: {
      deliveryTag: 1,
      redelivered: false,
      exchange: 'events',
      routingKey,
      consumerTag: 'c',
    },
    properties: {
      contentType: undefined,
      contentEncoding: undefined,
      headers: undefined,
      deliveryMode: undefined,
      priority: undefined,
      correlationId: undefined,
      replyTo: undefined,
      expiration: undefined,
      messageId: undefined,
      timestamp: undefined,
      type: undefined,
      userId: undefined,
      appId: undefined,
      clusterId: undefined,
      ...properties,
    },
  };
}

const read = (properties: Partial<MessageProperties>, routingKey?: string) =>
  readIncomingMessage(delivery(properties, routingKey), 'payment.order-created', 4);

describe('readIncomingMessage', () => {
  it('reads the envelope our own publisher writes', () => {
    const message = read({
      messageId: 'm-1',
      type: 'order.created',
      headers: { 'x-correlation-id': 'corr-1', 'x-causation-id': 'cause-1', 'x-attempt': 2 },
    });
    expect(message).toMatchObject({
      queue: 'payment.order-created',
      messageId: 'm-1',
      type: 'order.created',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      attempt: 2,
    });
  });

  it('drops a causation id that no message or correlation id could be, as a handler may log it', () => {
    for (const causation of ['line\nbreak', 'C'.repeat(129), '{uuid}', '']) {
      expect(read({ headers: { 'x-causation-id': causation } }).causationId).toBeUndefined();
    }
    const bytes = read({ headers: { 'x-causation-id': Buffer.from('cause-2') } });
    expect(bytes.causationId).toBe('cause-2');
    // What a foreign client's messageId may be, which the next message carries as its cause.
    expect(read({ headers: { 'x-causation-id': 'shop/42+a@b' } }).causationId).toBe('shop/42+a@b');
  });

  it('takes the type from the routing key when the type property is missing or empty', () => {
    expect(read({}, 'order.paid').type).toBe('order.paid');
    expect(read({ type: '' }, 'order.paid').type).toBe('order.paid');
    expect(read({ type: 'order.cancelled' }, 'order.paid').type).toBe('order.cancelled');
  });

  it('takes the messageId from the x-message-id header when the property is missing', () => {
    expect(read({ headers: { 'x-message-id': 'from-header' } }).messageId).toBe('from-header');
    expect(read({ headers: { 'x-message-id': Buffer.from('bytes-id') } }).messageId).toBe(
      'bytes-id',
    );
    expect(read({ messageId: '', headers: { 'x-message-id': 'h' } }).messageId).toBe('h');
  });

  it('prefers the messageId property over the header', () => {
    const message = read({ messageId: 'prop', headers: { 'x-message-id': 'header' } });
    expect(message.messageId).toBe('prop');
  });

  it('keeps an id that cannot identify a message apart, with the reason', () => {
    const long = read({ headers: { 'x-message-id': 'B'.repeat(256) } });
    expect(long).toMatchObject({
      rejectedMessageId: 'B'.repeat(256),
      idProblem: 'the messageId is 256 characters, above 128',
    });
    expect(long.messageId).toBeUndefined();
    expect(read({ messageId: 'a b' }).idProblem).toMatch(/characters outside/);
  });

  it('leaves the messageId unset when neither carries one', () => {
    expect(read({}).messageId).toBeUndefined();
  });

  it.each([
    [{ 'x-attempt': 3 }, 3],
    [{ 'x-attempt': 4 }, 4],
    [{}, 1],
    // Forged or foreign: never a budget the queue's policy does not give.
    [{ 'x-attempt': 999 }, 1],
    [{ 'x-attempt': 5 }, 1],
    [{ 'x-attempt': 2.5 }, 1],
    [{ 'x-attempt': '3' }, 1],
    [{ 'x-attempt': Buffer.from('4') }, 1],
    [{ 'x-attempt': 0 }, 1],
    [{ 'x-attempt': 'abc' }, 1],
    [{ 'x-attempt': -1 }, 1],
  ])('reads the attempt from headers %p as %i (4 attempts at most)', (headers, attempt) => {
    expect(read({ headers }).attempt).toBe(attempt);
  });

  it('takes the message id as the correlation id of a message that carries none or an unsafe one', () => {
    // Every attempt and copy of it then logs under one id.
    expect(read({ messageId: 'pika-7' }).correlationId).toBe('pika-7');
    const unsafe = { messageId: 'pika-8', headers: { 'x-correlation-id': 'a b\nc' } };
    expect(read(unsafe).correlationId).toBe('pika-8');
  });

  it('generates a correlation id when neither id can serve', () => {
    expect(read({}).correlationId).toMatch(UUID);
    expect(read({ messageId: 'id/with+slash=' }).correlationId).toMatch(UUID);
  });

  it('reads a correlation id sent as bytes by another client', () => {
    const message = read({ headers: { 'x-correlation-id': Buffer.from('pika-42') } });
    expect(message.correlationId).toBe('pika-42');
  });

  it('keeps all headers, including ones it does not know', () => {
    const message = read({ headers: { 'x-tenant': 'acme', traceparent: '00-abc-def-01' } });
    expect(message.headers).toEqual({ 'x-tenant': 'acme', traceparent: '00-abc-def-01' });
  });
});

describe('sentCorrelationId (for lines logged outside a message’s handling)', () => {
  it.each([
    [
      'the sender’s correlation id',
      { messageId: 'm-1', headers: { 'x-correlation-id': 'order-7' } },
      'order-7',
    ],
    ['else the message id', { messageId: 'm-1', headers: { 'x-correlation-id': 'bad id' } }, 'm-1'],
    ['else the x-message-id header', { headers: { 'x-message-id': 'm-2' } }, 'm-2'],
    ['else none, never a new one', { messageId: 'shop/42', headers: {} }, undefined],
  ] as const)('is %s', (_case, properties, expected) => {
    expect(sentCorrelationId(delivery(properties))).toBe(expected);
  });
});
