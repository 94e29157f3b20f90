import type { MessageProperties } from 'amqplib';
import { copiedProperties } from './copied-properties';

const properties = {
  messageId: 'm-1',
  type: 'thing.happened',
  timestamp: 1_700_000_000,
  contentType: 'application/json',
  contentEncoding: undefined,
  correlationId: 'c-1',
  replyTo: undefined,
  appId: 'shop',
  priority: 3,
  expiration: '60000',
  userId: 'shop-user',
  deliveryMode: 1,
  headers: { 'x-correlation-id': 'c-1' },
} as unknown as MessageProperties;

describe('copiedProperties', () => {
  it('keeps the message as it was published, persistent, without expiration or userId', () => {
    expect(copiedProperties(properties)).toEqual({
      messageId: 'm-1',
      type: 'thing.happened',
      timestamp: 1_700_000_000,
      contentType: 'application/json',
      correlationId: 'c-1',
      appId: 'shop',
      priority: 3,
      persistent: true,
      headers: { 'x-correlation-id': 'c-1' },
    });
  });

  it('takes the changes the copier gives, and stays persistent', () => {
    const copy = copiedProperties(properties, {
      headers: { 'x-error': 'no' },
      type: 'other',
      persistent: false,
    });
    expect(copy).toMatchObject({ headers: { 'x-error': 'no' }, type: 'other', persistent: true });
  });
});
