import { replayProperties } from '@app/messaging';
import type { Message, Options } from 'amqplib';

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

/**
 * An event whose `type` names another event than its routing key. The consumers refused it when
 * it was published (a type must match the key it was routed by); a replay, which goes through the
 * default exchange where that check cannot apply, must not deliver it under the type it claims.
 */
export function isMislabelled(message: Message): boolean {
  return eventTypeOf(message) !== message.fields.routingKey;
}

/**
 * The event's copy for a consuming queue: the same message (replayProperties), typed as the
 * consumers took it live. Sent through the default exchange, its routing key is the queue's name:
 * an event that carried no `type` would otherwise read as of a type no handler takes.
 */
export function replayedEventProperties(message: Message, replayedAt: Date): Options.Publish {
  return { ...replayProperties(message, replayedAt), type: eventTypeOf(message) };
}

/**
 * Whether a topic binding key (`*` one word, `#` any number of words) takes `routingKey`. An empty
 * key has no words, as RabbitMQ reads it: `#` takes it, `*` does not.
 */
export function bindingTakes(bindingKey: string, routingKey: string): boolean {
  const wordsOf = (key: string): string[] => (key === '' ? [] : key.split('.'));
  const matches = (pattern: string[], words: string[]): boolean => {
    if (pattern.length === 0) return words.length === 0;
    const [head, ...rest] = pattern;
    if (head === '#') {
      return words.some((_, index) => matches(rest, words.slice(index))) || matches(rest, []);
    }
    return words.length > 0 && (head === '*' || head === words[0]) && matches(rest, words.slice(1));
  };
  return matches(wordsOf(bindingKey), wordsOf(routingKey));
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
