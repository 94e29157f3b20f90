import type { Headers } from '../message-headers';

/** A message its queue gave up on, as a DeadLetterListener hears of it. */
export interface DeadLetteredMessage {
  messageId: string;
  type: string;
  /** The consuming queue that gave up on it. */
  queue: string;
  headers: Headers;
  /** Why, as the dead-letter copy's `x-error` says. */
  reason: string;
  attempt: number;
  /**
   * The JSON body as the consumer reads one (its encoding undone, at most MAX_MESSAGE_BYTES);
   * undefined when it cannot be read, which may be why it was dead-lettered. Not validated:
   * check it against the message type's contract.
   */
  payload: unknown;
}

/**
 * Hears of each message a consumer dead-letters, inside the transaction that records its
 * dead-letter copy (see DeadLetterRecord): what it writes commits if and only if the copy is
 * confirmed, and a duplicate delivery of the same failing message is not heard twice. Any
 * provider that extends this class is one, and each is told in turn (see DeadLetterListeners):
 * the workflow library's records a failed step, notification's a failed delivery. When the
 * record cannot be written (a listener throws, the database is down), the copy is still made:
 * a message dead-lettered unheard rather than one lost.
 */
export abstract class DeadLetterListener {
  abstract deadLettered(message: DeadLetteredMessage): Promise<void>;
}
