import type { MessageContext } from './message-context';

/**
 * Hears of each event or job a handler handled without error, with what the handler returned,
 * inside the handler's transaction (the inbox's): what it writes commits with the handler's
 * writes and the inbox row, or not at all, and a duplicate delivery, skipped by the inbox, is not
 * heard twice. A library provides one (the workflow library records a step's result) and the
 * consumers call it after Nest's whole pipeline, interceptors and filters included, has returned.
 * It is not a Nest interceptor, so a message handler with no interceptor of its own is called
 * without rxjs in between.
 */
export abstract class HandlerResultListener {
  abstract handled(result: unknown, context: MessageContext): Promise<void>;
}
