import type { Message } from 'amqplib';
import {
  bindingTakes,
  eventTypeOf,
  happenedBefore,
  isChosen,
  isMislabelled,
  replayedEventProperties,
} from './event-selection';

function event(type: string | undefined, at?: string, routingKey = 'from.key'): Message {
  return {
    content: Buffer.from('{}'),
    fields: { deliveryTag: 1, redelivered: false, exchange: 'events', routingKey },
    properties: {
      type,
      timestamp: at === undefined ? undefined : Math.floor(Date.parse(at) / 1000),
      headers: {},
    },
  } as unknown as Message;
}

describe('isChosen', () => {
  const types = ['order.paid', 'order.created'];

  it('takes the chosen types only', () => {
    expect(isChosen(event('order.paid', '2026-01-01T10:00:00Z'), { types })).toBe(true);
    expect(isChosen(event('payment.failed', '2026-01-01T10:00:00Z'), { types })).toBe(false);
  });

  it('takes events from --since to --until, both included, to the second', () => {
    const selection = {
      types,
      since: new Date('2026-01-01T10:00:00.900Z'),
      until: new Date('2026-01-01T11:00:00.000Z'),
    };
    expect(isChosen(event('order.paid', '2026-01-01T09:59:59Z'), selection)).toBe(false);
    expect(isChosen(event('order.paid', '2026-01-01T10:00:00Z'), selection)).toBe(true);
    expect(isChosen(event('order.paid', '2026-01-01T11:00:00Z'), selection)).toBe(true);
    expect(isChosen(event('order.paid', '2026-01-01T11:00:01Z'), selection)).toBe(false);
  });

  it('judges an event without a timestamp by its type', () => {
    const selection = { types, since: new Date('2026-01-01T10:00:00Z') };
    expect(isChosen(event('order.paid'), selection)).toBe(true);
  });
});

describe('eventTypeOf', () => {
  it('reads the type property, else the routing key', () => {
    expect(eventTypeOf(event('order.paid'))).toBe('order.paid');
    expect(eventTypeOf(event(undefined, undefined, 'order.cancelled'))).toBe('order.cancelled');
  });
});

describe('happenedBefore', () => {
  it('compares to the second; an event without a timestamp happened at no known time', () => {
    const time = new Date('2026-01-01T10:00:00.900Z');
    expect(happenedBefore(event('order.paid', '2026-01-01T09:59:59Z'), time)).toBe(true);
    expect(happenedBefore(event('order.paid', '2026-01-01T10:00:00Z'), time)).toBe(false);
    expect(happenedBefore(event('order.paid'), time)).toBe(false);
  });
});

describe('isMislabelled', () => {
  it('is false for an event typed as its routing key, or carrying no type', () => {
    expect(isMislabelled(event('order.paid', undefined, 'order.paid'))).toBe(false);
    expect(isMislabelled(event(undefined, undefined, 'order.paid'))).toBe(false);
  });

  it('is true for an event whose type names another than its routing key (refused live)', () => {
    expect(isMislabelled(event('order.paid', undefined, 'payment.refunded'))).toBe(true);
  });
});

describe('replayedEventProperties', () => {
  const replayedAt = new Date('2026-01-02T00:00:00Z');

  it('types the copy of an event published without a type by its routing key', () => {
    const properties = replayedEventProperties(
      event(undefined, undefined, 'order.paid'),
      replayedAt,
    );
    expect(properties.type).toBe('order.paid');
    expect(properties.headers).toMatchObject({ 'x-replayed-at': replayedAt.toISOString() });
  });

  it('keeps the type of an event that has one', () => {
    expect(
      replayedEventProperties(event('order.paid', undefined, 'order.paid'), replayedAt).type,
    ).toBe('order.paid');
  });
});

describe('bindingTakes', () => {
  it.each([
    ['order.paid', 'order.paid', true],
    ['order.paid', 'order.created', false],
    ['order.*', 'order.paid', true],
    ['order.*', 'order.paid.late', false],
    ['order.#', 'order', true],
    ['order.#', 'order.paid.late', true],
    ['#', 'payment.succeeded', true],
    ['*.paid', 'order.paid', true],
    ['#.paid', 'order.paid', true],
    ['#.paid', 'order.created', false],
    ['*', '', false],
    ['#', '', true],
  ])('binding key %s takes %s: %s', (bindingKey, routingKey, takes) => {
    expect(bindingTakes(bindingKey, routingKey)).toBe(takes);
  });
});
