import type { MessageProperties, Options } from 'amqplib';
import type { Headers } from '../message-headers';

/**
 * The properties for a copy of a message that stays the same message (a retry, a dead-letter
 * copy, a replay): all it was published with, made persistent, but `expiration` (a copy must
 * not expire) and `userId` (the broker refuses one that is not the publishing user's). `changes`
 * replace what the copier knows better; what neither has is left out.
 */
export function copiedProperties(
  properties: MessageProperties,
  changes: Options.Publish = {},
): Options.Publish {
  const headers: Headers | undefined = properties.headers;
  const copy: Options.Publish = {
    messageId: properties.messageId as string | undefined,
    type: properties.type as string | undefined,
    timestamp: properties.timestamp as number | undefined,
    contentType: properties.contentType as string | undefined,
    contentEncoding: properties.contentEncoding as string | undefined,
    correlationId: properties.correlationId as string | undefined,
    replyTo: properties.replyTo as string | undefined,
    appId: properties.appId as string | undefined,
    priority: properties.priority as number | undefined,
    headers,
    ...changes,
    persistent: true,
  };
  return Object.fromEntries(Object.entries(copy).filter(([, value]) => value !== undefined));
}
