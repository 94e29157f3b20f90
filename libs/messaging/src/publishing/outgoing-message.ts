import type { Options } from 'amqplib';
import { MessageTooLargeError } from '../errors';

/** A JSON message with the identity and headers DESIGN §3 puts on every message. */
export interface OutgoingMessage {
  messageId: string;
  type: string;
  exchange: string;
  routingKey: string;
  payload: unknown;
  /** x-correlation-id, x-causation-id, traceparent/tracestate and any extra headers. */
  headers: Record<string, string | number>;
  timestamp?: Date;
}

export const JSON_CONTENT_TYPE = 'application/json';

/** The AMQP properties of a JSON message: persistent, typed, stamped with its origin. */
export function messageProperties(
  message: Pick<OutgoingMessage, 'messageId' | 'type' | 'headers' | 'timestamp'>,
  appId: string,
): Options.Publish {
  return {
    messageId: message.messageId,
    type: message.type,
    // AMQP timestamps are POSIX seconds, as other clients (pika, amqp-tools) expect.
    timestamp: Math.floor((message.timestamp ?? new Date()).getTime() / 1000),
    contentType: JSON_CONTENT_TYPE,
    appId,
    persistent: true,
    headers: message.headers,
  };
}

/**
 * The payload as JSON bytes, refused above MAX_MESSAGE_BYTES (`maxBytes`) before the broker,
 * whose own limit would close the channel, and every publish in flight on it, instead.
 */
export function encodeJson(payload: unknown, maxBytes: number): Buffer {
  const content = Buffer.from(JSON.stringify(payload));
  if (content.length > maxBytes) throw new MessageTooLargeError(content.length, maxBytes);
  return content;
}
