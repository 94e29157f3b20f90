import {
  acceptOrCreateCorrelationId,
  CAUSATION_ID_HEADER,
  CORRELATION_ID_HEADER,
} from '@app/correlation';
import type { ConsumeMessage } from 'amqplib';
import { headerInteger, headerText, type Headers, MessageHeaders } from '../message-headers';

/** The envelope of a consumed message, read leniently: other clients set fewer fields. */
export interface IncomingMessage {
  readonly raw: ConsumeMessage;
  readonly queue: string;
  readonly messageId?: string;
  /** The `type` property, else the routing key it was published with. */
  readonly type: string;
  /** The sender's correlation id, or a new one when it sent none. */
  readonly correlationId: string;
  readonly causationId?: string;
  readonly attempt: number;
  readonly headers: Headers;
}

/**
 * Where a client that cannot set the messageId property (amqp-tools' amqp-publish) may put it.
 * The property wins when both are present.
 */
export const MESSAGE_ID_HEADER = 'x-message-id';

function propertyText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (Buffer.isBuffer(value) && value.length > 0) return value.toString('utf8');
  return undefined;
}

export function readIncomingMessage(raw: ConsumeMessage, queue: string): IncomingMessage {
  const headers: Headers = { ...(raw.properties.headers ?? {}) };
  return {
    raw,
    queue,
    messageId: propertyText(raw.properties.messageId) ?? headerText(headers, MESSAGE_ID_HEADER),
    type: propertyText(raw.properties.type) ?? raw.fields.routingKey,
    correlationId: acceptOrCreateCorrelationId(headerText(headers, CORRELATION_ID_HEADER)),
    causationId: headerText(headers, CAUSATION_ID_HEADER),
    attempt: Math.max(1, headerInteger(headers, MessageHeaders.attempt) ?? 1),
    headers,
  };
}
