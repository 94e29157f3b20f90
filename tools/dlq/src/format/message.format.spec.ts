import type { Message } from 'amqplib';
import { bodyLines, headerLines, propertyLines, valueText } from './message.format';

const message = (content: string, properties: Record<string, unknown>) =>
  ({ content: Buffer.from(content), fields: {}, properties }) as unknown as Message;

describe('show formatting', () => {
  it('pretty-prints a JSON body', () => {
    expect(bodyLines(message('{"orderId":"o-1","total":5}', {}))).toEqual([
      'Body (JSON, 27 bytes)',
      '{',
      '  "orderId": "o-1",',
      '  "total": 5',
      '}',
    ]);
  });

  it('prints any other body as its text', () => {
    expect(bodyLines(message('{"broken', {}))).toEqual([
      'Body (not JSON, as text, 8 bytes)',
      '{"broken',
    ]);
    expect(bodyLines(message('', {}))).toEqual(['Body (empty)']);
  });

  it('lists the properties present, in AMQP order, with readable timestamps', () => {
    const lines = propertyLines(
      message('', {
        appId: 'order',
        messageId: 'm-1',
        timestamp: 1_700_000_000,
        deliveryMode: 2,
        userId: undefined,
      }),
    );
    expect(lines).toEqual([
      '  messageId     m-1',
      '  timestamp     2023-11-14T22:13:20.000Z (1700000000)',
      '  deliveryMode  2 (persistent)',
      '  appId         order',
    ]);
  });

  it('lists every header, tables as JSON and bytes as text', () => {
    const lines = headerLines(
      message('', {
        headers: {
          'x-error': 'boom',
          'x-attempts': 3,
          'x-raw': Buffer.from('bytes'),
          'x-death': [{ count: 1, time: { '!': 'timestamp', value: 0 } }],
        },
      }),
    );
    expect(lines).toEqual([
      '  x-error     boom',
      '  x-attempts  3',
      '  x-raw       bytes',
      '  x-death     [{"count":1,"time":"1970-01-01T00:00:00.000Z"}]',
    ]);
    expect(headerLines(message('', {}))).toEqual(['  (none)']);
    expect(valueText(null)).toBe('(null)');
  });
});
