import type { Headers } from '../message-headers';

/** What a handler may know about the message it handles, besides its validated payload. */
export interface MessageContext {
  readonly messageId: string;
  readonly type: string;
  readonly queue: string;
  readonly correlationId: string;
  /** The id of whatever caused this message, if the sender said. */
  readonly causationId?: string;
  /** 1 on first delivery, then one more per retry. */
  readonly attempt: number;
  /** Attempts allowed before the message is dead-lettered. */
  readonly maxAttempts: number;
  readonly headers: Headers;
}
