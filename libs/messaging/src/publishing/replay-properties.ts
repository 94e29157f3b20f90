import { type Headers, MessageHeaders } from '../message-headers';
import { copiedProperties } from './copied-properties';
import type { Message, Options } from 'amqplib';

export const REPLAYED_AT_HEADER = MessageHeaders.replayedAt;

/** What the consumer and the broker wrote about past failures; a replay starts the count over. */
const BOOKKEEPING_HEADERS = new Set<string>([
  MessageHeaders.error,
  MessageHeaders.attempts,
  MessageHeaders.attempt,
  // Without it, a message dead-lettered after waiting out an outage its MAX_DEFERRALS times
  // would come back unable to wait out the next one.
  MessageHeaders.deferrals,
  MessageHeaders.failedAt,
  MessageHeaders.sourceQueue,
  MessageHeaders.lastError,
  'x-death',
  // Quorum queues count redeliveries in this header; a replayed copy is a first delivery.
  'x-delivery-count',
  // Where a message read from the event log (a stream) sits in it; not the copy's business.
  'x-stream-offset',
]);

const BOOKKEEPING_PREFIXES = ['x-first-death-', 'x-last-death-'];

export function isBookkeepingHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    BOOKKEEPING_HEADERS.has(lower) ||
    BOOKKEEPING_PREFIXES.some((prefix) => lower.startsWith(prefix))
  );
}

/** The message's own headers (correlation, trace, custom) plus when it was replayed. */
export function replayHeaders(headers: Headers | undefined, replayedAt: Date): Headers {
  const kept = Object.entries(headers ?? {}).filter(([name]) => !isBookkeepingHeader(name));
  return { ...Object.fromEntries(kept), [REPLAYED_AT_HEADER]: replayedAt.toISOString() };
}

/** The same message again (see copiedProperties), its failure bookkeeping left behind. */
export function replayProperties(message: Message, replayedAt: Date): Options.Publish {
  const { properties } = message;
  return copiedProperties(properties, { headers: replayHeaders(properties.headers, replayedAt) });
}
