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
}

/**
 * Hears of each message a consumer dead-letters, inside the transaction that records its
 * dead-letter copy (see DeadLetterRecord): what it writes commits if and only if the copy is
 * confirmed, and a duplicate delivery of the same failing message is not heard twice. A library
 * provides one (the workflow library records a failed step) and the consumers call it. When the
 * record cannot be written (the listener throws, the database is down), the copy is still made:
 * a message dead-lettered unheard rather than one lost.
 */
export abstract class DeadLetterListener {
  abstract deadLettered(message: DeadLetteredMessage): Promise<void>;
}
