import type { Message } from 'amqplib';
import { messageIdOf, summarize, timestampText } from './dead-letter.view';

const message = (properties: Record<string, unknown>) =>
  ({ content: Buffer.alloc(0), fields: {}, properties }) as unknown as Message;

describe('summarize', () => {
  it('reads what the consumer recorded when it dead-lettered the message', () => {
    const summary = summarize(
      message({
        messageId: 'm-1',
        type: 'order.created',
        headers: {
          'x-error': 'boom',
          'x-attempts': 3,
          'x-source-queue': 'payment.order-created',
          'x-failed-at': '2025-01-02T03:04:05.678Z',
        },
      }),
    );
    expect(summary).toEqual({
      messageId: 'm-1',
      type: 'order.created',
      failedAt: '2025-01-02T03:04:05.678Z',
      attempts: '3',
      sourceQueue: 'payment.order-created',
      error: 'boom',
    });
  });

  it('falls back to the broker x-death record for a copy the broker dead-lettered', () => {
    const summary = summarize(
      message({
        messageId: 'm-2',
        headers: {
          'x-attempt': 2,
          'x-last-error': 'timeout',
          'x-death': [
            {
              count: 1,
              reason: 'rejected',
              queue: 'payment.order-created',
              time: { '!': 'timestamp', value: 1_700_000_000 },
              'routing-keys': ['order.created'],
            },
          ],
        },
      }),
    );
    expect(summary).toMatchObject({
      // Sent without a type: the routing key it came by, as its consumer read it.
      type: 'order.created',
      attempts: '2',
      sourceQueue: 'payment.order-created',
      failedAt: '2023-11-14T22:13:20.000Z',
      error: 'timeout; dead-lettered by the broker (rejected on payment.order-created)',
    });
  });

  it('reads a forged x-death as text only, so the listing still prints', () => {
    const forged = { 'x-death': [{ queue: 7, reason: { nested: true }, time: 'soon' }] };
    expect(summarize(message({ headers: forged }))).toMatchObject({
      sourceQueue: undefined,
      failedAt: undefined,
      error: 'dead-lettered by the broker (unknown reason on ?)',
    });
  });

  it('leaves unknown fields empty', () => {
    expect(summarize(message({}))).toEqual({
      messageId: undefined,
      type: undefined,
      failedAt: undefined,
      attempts: undefined,
      sourceQueue: undefined,
      error: undefined,
    });
  });
});

describe('messageIdOf', () => {
  it('prefers the property, then the x-message-id header', () => {
    expect(messageIdOf(message({ messageId: 'p', headers: { 'x-message-id': 'h' } }))).toBe('p');
    expect(messageIdOf(message({ headers: { 'x-message-id': Buffer.from('h') } }))).toBe('h');
    expect(messageIdOf(message({ messageId: '' }))).toBeUndefined();
  });

  it('reads AMQP timestamps as seconds', () => {
    expect(timestampText(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(timestampText('x')).toBeUndefined();
    // Any unsigned 64-bit value arrives; past year 275760 there is no date to print.
    expect(timestampText(4e18)).toBeUndefined();
  });
});
