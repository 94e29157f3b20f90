export type HandlerOutcome = 'processed' | 'duplicate';

/**
 * How a handler's effects are made exactly-once. The outbox library implements it with an
 * inbox row written in the handler's transaction; a message already recorded is skipped.
 */
export abstract class HandlerTransaction {
  abstract runOnce(
    messageId: string,
    handlerKey: string,
    work: () => Promise<void>,
  ): Promise<HandlerOutcome>;

  /**
   * True when `error` means the store is unreachable rather than the message being at fault:
   * the consumer then holds the message and tries again later, without using up an attempt.
   */
  abstract isUnavailable(error: unknown): boolean;
}
