/** What the inbox records of a message: its id, the handler slot and a hash of its body. */
export interface InboxEntry {
  messageId: string;
  /** Stable name of the handler slot, or of a queue's dead-letter record. */
  handlerKey: string;
  /** sha256 of the body as it came (bodyHash), to tell a reused id from a true duplicate. */
  bodyHash: string;
}

/**
 * `processed`: the work ran and its record committed with it. `duplicate`: the entry was
 * recorded before, with `storedBodyHash` (absent for rows older than the column).
 */
export type HandlerOutcome = { kind: 'processed' } | { kind: 'duplicate'; storedBodyHash?: string };

/**
 * How a handler's effects are made exactly-once. The inbox library implements it with an
 * inbox row written in the handler's transaction; a message already recorded is skipped.
 */
export abstract class HandlerTransaction {
  abstract runOnce(entry: InboxEntry, work: () => Promise<void>): Promise<HandlerOutcome>;

  /**
   * True when `error` means the store is unreachable rather than the message being at fault:
   * the consumer then holds the message and tries again later, without using up an attempt.
   * Asked after the handler failed, so it may ask the store itself.
   */
  abstract isUnavailable(error: unknown): Promise<boolean>;

  /**
   * Why `error` is a store error the same message can never get past (a value the schema
   * refuses, an index row too large), or undefined: such a message is dead-lettered at once.
   */
  abstract permanentFailure(error: unknown): string | undefined;
}
