import type { Message } from 'amqplib';
import { isBookkeepingHeader, replayHeaders, replayProperties } from './replay-properties';

const replayedAt = new Date('2025-03-04T05:06:07.089Z');

const deadLettered = {
  'x-correlation-id': 'corr-1',
  'x-causation-id': 'cause-1',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  tracestate: 'vendor=1',
  'x-custom': 'kept',
  'x-error': 'boom (gave up after 3 attempts)',
  'x-attempts': 3,
  'x-attempt': 3,
  'x-deferrals': 10,
  'x-failed-at': '2025-03-04T05:00:00.000Z',
  'x-source-queue': 'payment.order-created',
  'x-last-error': 'boom',
  'x-death': [{ count: 1, reason: 'expired', queue: 'payment.order-created.retry.100ms' }],
  'x-first-death-queue': 'payment.order-created.retry.100ms',
  'x-first-death-reason': 'expired',
  'x-first-death-exchange': '',
  'x-last-death-queue': 'payment.order-created.retry.200ms',
  'x-last-death-reason': 'expired',
  'x-last-death-exchange': '',
  'x-delivery-count': 2,
};

describe('replayHeaders', () => {
  it('keeps correlation, trace and custom headers and drops every bookkeeping header', () => {
    expect(replayHeaders(deadLettered, replayedAt)).toEqual({
      'x-correlation-id': 'corr-1',
      'x-causation-id': 'cause-1',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'vendor=1',
      'x-custom': 'kept',
      'x-replayed-at': '2025-03-04T05:06:07.089Z',
    });
  });

  it('replaces the time of an earlier replay', () => {
    const headers = replayHeaders({ 'x-replayed-at': '2020-01-01T00:00:00.000Z' }, replayedAt);
    expect(headers).toEqual({ 'x-replayed-at': replayedAt.toISOString() });
  });

  it('works on a message without headers', () => {
    expect(replayHeaders(undefined, replayedAt)).toEqual({
      'x-replayed-at': replayedAt.toISOString(),
    });
  });

  it.each(['X-Error', 'x-first-death-anything', 'X-Last-Death-Queue', 'x-death'])(
    'treats %s as bookkeeping',
    (name) => expect(isBookkeepingHeader(name)).toBe(true),
  );

  it.each(['x-correlation-id', 'x-message-id', 'x-deadline', 'x-deathly-quiet', 'traceparent'])(
    'keeps %s',
    (name) => expect(isBookkeepingHeader(name)).toBe(false),
  );
});

describe('replayProperties', () => {
  const message = {
    content: Buffer.from('{}'),
    fields: {},
    properties: {
      messageId: 'm-1',
      type: 'order.created',
      timestamp: 1_700_000_000,
      contentType: 'application/json',
      contentEncoding: undefined,
      correlationId: 'c-1',
      appId: 'order',
      userId: 'guest',
      expiration: '60000',
      deliveryMode: 2,
      headers: deadLettered,
    },
  } as unknown as Message;

  it('keeps the identity of the message, without expiration or userId, persistent', () => {
    const properties = replayProperties(message, replayedAt);
    expect(properties).toEqual({
      messageId: 'm-1',
      type: 'order.created',
      timestamp: 1_700_000_000,
      contentType: 'application/json',
      correlationId: 'c-1',
      appId: 'order',
      persistent: true,
      headers: expect.objectContaining({ 'x-correlation-id': 'corr-1' }),
    });
    expect(properties.headers).not.toHaveProperty('x-error');
  });
});
