import type { Message } from 'amqplib';

/** Which events of the log to replay: by type, and by the time each event happened. */
export interface EventSelection {
  /** Event types to replay; every other event is passed over. */
  types: readonly string[];
  since?: Date;
  until?: Date;
}

/** The event type: the `type` property, or the routing key for a client that set none. */
export function eventTypeOf(message: Message): string {
  const type: unknown = message.properties.type;
  return typeof type === 'string' && type !== '' ? type : message.fields.routingKey;
}

/** When the event happened, in whole seconds as AMQP carries it; undefined when not given. */
function eventSecond(message: Message): number | undefined {
  const timestamp: unknown = message.properties.timestamp;
  return typeof timestamp === 'number' ? timestamp : undefined;
}

const secondOf = (date: Date): number => Math.floor(date.getTime() / 1000);

/**
 * Whether an event is chosen. Times compare to the second (the precision of the AMQP
 * timestamp), both ends included; an event without a timestamp is judged by type alone, as the
 * log was already read from --since on.
 */
export function isChosen(message: Message, selection: EventSelection): boolean {
  if (!selection.types.includes(eventTypeOf(message))) return false;
  const second = eventSecond(message);
  if (second === undefined) return true;
  if (selection.since && second < secondOf(selection.since)) return false;
  if (selection.until && second > secondOf(selection.until)) return false;
  return true;
}

/** Whether the event happened before `time`, to the second; an event without a time did not. */
export function happenedBefore(message: Message, time: Date): boolean {
  const second = eventSecond(message);
  return second !== undefined && second < secondOf(time);
}
