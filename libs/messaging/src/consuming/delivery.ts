import type { CorrelationContext } from '@app/correlation';
import type { z } from 'zod';
import type { IncomingMessage } from './incoming-message';
import { MessageContext } from './message-context';
import { parseJsonBody, validatePayload } from './parse-json-body';

/**
 * What event handlers and RPC responders share about a delivery, whatever they then do with it:
 * the context it runs in, the payload it carries and the `@Ctx()` its handler gets.
 */

/** Runs `work` in the sender's correlation: the id it carried (or a new one), caused by this message. */
export function inSenderContext<T>(
  correlation: CorrelationContext,
  message: IncomingMessage,
  work: () => Promise<T>,
): Promise<T> {
  const ids = {
    correlationId: message.correlationId,
    causationId: message.messageId ?? message.correlationId,
  };
  return correlation.run(ids, work);
}

export type ReadPayload =
  | { ok: true; value: unknown }
  /** `body`: not a JSON body within the limit; `payload`: JSON its contract refuses. */
  | { ok: false; part: 'body' | 'payload'; reason: string };

/** The payload a delivery carries, checked against its contract's schema, or why it is not one. */
export function readPayload(
  message: IncomingMessage,
  schema: z.ZodType,
  maxBytes: number,
): ReadPayload {
  const body = parseJsonBody(message.raw, maxBytes);
  if (!body.ok) return { ok: false, part: 'body', reason: body.reason };
  const payload = validatePayload(schema, body.value);
  return payload.ok ? payload : { ok: false, part: 'payload', reason: payload.reason };
}

/** The handler's `@Ctx()`: the delivery as read, with its id and where it stands in its attempts. */
export function handlerContext(
  message: IncomingMessage,
  at: { messageId: string; attempt: number; maxAttempts: number },
): MessageContext {
  return new MessageContext({
    ...at,
    type: message.type,
    queue: message.queue,
    correlationId: message.correlationId,
    causationId: message.causationId,
    headers: message.headers,
    raw: message.raw,
  });
}
