import { errorMessage } from '../errors';
import type { Headers } from '../message-headers';
import { tableBytes } from '../publishing/publish-properties';
import type { IncomingMessage } from './incoming-message';

/** Message ids are UUIDs here; other clients' ids fit too, within a bound the inbox can index. */
export const MAX_MESSAGE_ID_LENGTH = 128;
const MESSAGE_ID_CHARACTERS = 'A-Za-z0-9._:@+=/-';
const MESSAGE_ID_PATTERN = new RegExp(`^[${MESSAGE_ID_CHARACTERS}]+$`);
/** The ids messageIdProblem accepts, as a JSON Schema pattern (for the AsyncAPI document). */
export const MESSAGE_ID_SCHEMA_PATTERN = `^[${MESSAGE_ID_CHARACTERS}]{1,${MAX_MESSAGE_ID_LENGTH}}$`;

/**
 * Headers of a message this service accepts: correlation, trace and retry headers take well
 * under a kilobyte; the bound keeps a copy (retry, dead letter) far below what the wire allows.
 */
export const MAX_HEADERS_BYTES = 16 * 1024;

/** Why a message id cannot identify a message in the inbox, or undefined when it can. */
export function messageIdProblem(messageId: string): string | undefined {
  if (messageId.length > MAX_MESSAGE_ID_LENGTH) {
    return `the messageId is ${messageId.length} characters, above ${MAX_MESSAGE_ID_LENGTH}`;
  }
  if (!MESSAGE_ID_PATTERN.test(messageId)) {
    return 'the messageId has characters outside A-Z a-z 0-9 . _ : @ + = / -';
  }
  return undefined;
}

/** Why the header table is not acceptable, or undefined when it is. */
export function headersProblem(headers: Headers): string | undefined {
  let bytes: number;
  try {
    bytes = tableBytes(headers);
  } catch (error) {
    return errorMessage(error);
  }
  if (bytes > MAX_HEADERS_BYTES) {
    return `the headers take ${bytes} bytes, above the ${MAX_HEADERS_BYTES}-byte limit`;
  }
  return undefined;
}

/**
 * Why a message published on a named exchange has a `type` other than its routing key (DESIGN
 * §3: the routing key is the event type), or undefined when they agree. A message without
 * `type` (a foreign client) takes its routing key; on the default exchange (retry queues, a
 * replay) the routing key is a queue name and says nothing about the type.
 */
export function typeProblem(
  exchange: string,
  routingKey: string,
  type: string | undefined,
): string | undefined {
  if (!exchange || type === undefined || type === routingKey) return undefined;
  return `the type "${type}" does not match the routing key "${routingKey}"`;
}

/**
 * Replies go only to queues a caller owns: RabbitMQ's direct reply-to pseudo-queue, or a queue
 * the server named for one connection. Any other address would let a request make this service
 * publish, under its own credentials, into a queue of the caller's choosing.
 */
const REPLY_QUEUE_PATTERN =
  /^(amq\.rabbitmq\.reply-to(\.[A-Za-z0-9._=+/-]+)?|amq\.gen-[A-Za-z0-9_-]+)$/;

/** Why an RPC reply cannot go to `replyTo`, or undefined when it can. */
export function replyToProblem(replyTo: string): string | undefined {
  if (REPLY_QUEUE_PATTERN.test(replyTo)) return undefined;
  const shown = replyTo.length > 100 ? `${replyTo.slice(0, 100)}…` : replyTo;
  return `the replyTo "${shown}" is not a reply queue (amq.rabbitmq.reply-to… or amq.gen-…)`;
}

/**
 * Why an event's envelope can never be handled (a bad id, oversized headers, a type that
 * contradicts its routing key), or undefined when it can.
 */
export function envelopeProblem(message: IncomingMessage): string | undefined {
  if (message.idProblem) return `invalid messageId: ${message.idProblem}`;
  const headers = headersProblem(message.headers);
  if (headers) return `invalid headers: ${headers}`;
  const { exchange, routingKey } = message.raw.fields;
  const type = message.raw.properties.type as unknown;
  return typeProblem(exchange, routingKey, typeof type === 'string' && type ? type : undefined);
}
