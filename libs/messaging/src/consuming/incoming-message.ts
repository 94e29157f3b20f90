import {
  acceptOrCreateCorrelationId,
  CAUSATION_ID_HEADER,
  CORRELATION_ID_HEADER,
  isAcceptableCorrelationId,
} from '@app/correlation';
import type { ConsumeMessage } from 'amqplib';
import { boundedCount, headerText, type Headers, MessageHeaders } from '../message-headers';
import { messageIdProblem } from './envelope-validator';

/** The envelope of a consumed message, read leniently: other clients set fewer fields. */
export interface IncomingMessage {
  readonly raw: ConsumeMessage;
  readonly queue: string;
  /** The id the sender gave, when it can identify a message (see messageIdProblem). */
  readonly messageId?: string;
  /** The id the sender gave when it cannot, and why: such a message is dead-lettered. */
  readonly rejectedMessageId?: string;
  readonly idProblem?: string;
  /** The `type` property, else the routing key it was published with. */
  readonly type: string;
  /** The sender's correlation id; else the message id, or a new one (see correlationIdOf). */
  readonly correlationId: string;
  /** The sender's causation id, when it could be a message or correlation id; else none. */
  readonly causationId?: string;
  /** From `x-attempt`, 1 unless it is an integer within the queue's attempts (boundedCount). */
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

/**
 * The sender's correlation id; else the message's own id, so that every attempt, retry and
 * dead-letter copy and replay of a message sent without one (by another client) logs under the
 * same id; else, with neither usable, a new one.
 */
function correlationIdOf(headers: Headers, messageId: string | undefined): string {
  const sent = headerText(headers, CORRELATION_ID_HEADER);
  return isAcceptableCorrelationId(sent) ? sent : acceptOrCreateCorrelationId(messageId);
}

/**
 * The id a message's lines are logged under, read from the raw message where its handling has
 * not begun or has ended: the sender's correlation id, else its usable message id, else none.
 */
export function sentCorrelationId(raw: ConsumeMessage): string | undefined {
  const headers: Headers = raw.properties.headers ?? {};
  const sent = headerText(headers, CORRELATION_ID_HEADER);
  if (isAcceptableCorrelationId(sent)) return sent;
  const messageId =
    propertyText(raw.properties.messageId) ?? headerText(headers, MESSAGE_ID_HEADER);
  return isAcceptableCorrelationId(messageId) ? messageId : undefined;
}

/** `maxAttempts`: the queue's retry policy (1 for a queue that never retries, such as RPC). */
export function readIncomingMessage(
  raw: ConsumeMessage,
  queue: string,
  maxAttempts: number,
): IncomingMessage {
  const headers: Headers = { ...(raw.properties.headers ?? {}) };
  const sentId = propertyText(raw.properties.messageId) ?? headerText(headers, MESSAGE_ID_HEADER);
  const idProblem = sentId === undefined ? undefined : messageIdProblem(sentId);
  return {
    raw,
    queue,
    ...(idProblem ? { rejectedMessageId: sentId, idProblem } : { messageId: sentId }),
    type: propertyText(raw.properties.type) ?? raw.fields.routingKey,
    correlationId: correlationIdOf(headers, idProblem ? undefined : sentId),
    causationId: acceptedCausationId(headerText(headers, CAUSATION_ID_HEADER)),
    attempt: boundedCount(headers, MessageHeaders.attempt, { min: 1, max: maxAttempts }),
    headers,
  };
}

/**
 * A causation id is a messageId or an HTTP request's correlation id, and a handler may log
 * `@Ctx().causationId`: one that could be neither is dropped.
 */
function acceptedCausationId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return messageIdProblem(value) === undefined ? value : undefined;
}
