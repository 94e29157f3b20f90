import { Logger } from '@nestjs/common';
import { errorMessage } from '../errors';
import { headerText, MessageHeaders } from '../message-headers';
import { bodyHash } from './body-hash';
import type { DeadLetterListener } from './dead-letter-listener';
import { parseJsonBody } from './parse-json-body';
import type { HandlerTransaction } from './handler-transaction';
import type { IncomingMessage } from './incoming-message';

/** `copied`: this delivery's copy is now in the DLQ; `already`: an earlier delivery's is. */
export type CopyOutcome = 'copied' | 'already';

/**
 * Keeps duplicate deliveries of a failing message from leaving duplicate dead-letter copies. The
 * inbox records `(messageId, "dead-letter:<queue>…")` in a transaction that stays open while the
 * copy is published and confirmed, and commits only then: a concurrent duplicate waits on the row
 * and finds it; a copy the broker refused rolls the record back. A crash between the confirm and
 * the commit leaves a second copy on redelivery — at least once, never none.
 *
 * A record covers one life of the message: a replay from the DLQ (a new `x-replayed-at`) may be
 * dead-lettered again, and a message reusing the id with another body is copied, not skipped.
 * The listener, if any, writes in the same transaction, before the copy.
 */
export class DeadLetterRecord {
  private readonly logger = new Logger(DeadLetterRecord.name);

  constructor(
    private readonly transaction: HandlerTransaction,
    private readonly queue: string,
    private readonly listener?: Pick<DeadLetterListener, 'deadLettered'>,
    private readonly maxMessageBytes = Number.POSITIVE_INFINITY,
  ) {}

  async copyOnce(
    message: IncomingMessage,
    reason: string,
    copy: () => Promise<void>,
  ): Promise<CopyOutcome> {
    if (!message.messageId) return copy().then(() => 'copied');
    const hash = bodyHash(message.raw.content);
    const entry = { messageId: message.messageId, handlerKey: this.key(message), bodyHash: hash };
    let copyState: 'not started' | 'started' | 'confirmed' = 'not started';
    try {
      const outcome = await this.transaction.runOnce(entry, async () => {
        await this.listener?.deadLettered({
          messageId: entry.messageId,
          type: message.type,
          queue: this.queue,
          headers: message.headers,
          reason,
          attempt: message.attempt,
          payload: this.payloadOf(message),
        });
        copyState = 'started';
        await copy();
        copyState = 'confirmed';
      });
      if (outcome.kind === 'processed') return 'copied';
      // The same id with another body is not this delivery: its copy is still owed.
      const same = outcome.storedBodyHash === undefined || outcome.storedBodyHash === hash;
      return same ? 'already' : copy().then(() => 'copied');
    } catch (error) {
      // A store that could not even record: a copy (maybe a duplicate) rather than none. A copy
      // confirmed before a failed commit stands. A failed copy: the caller rejects the message.
      if (copyState === 'not started') {
        // Said aloud: a listener (a workflow's progress) that did not hear of it stays waiting.
        this.logger.warn(
          `Could not record the dead-lettering of ${message.messageId} from ${this.queue} (${errorMessage(error)}); copying it anyway, its listener not told`,
        );
        return copy().then(() => 'copied');
      }
      if (copyState === 'confirmed') return 'copied';
      throw error;
    }
  }

  private payloadOf(message: IncomingMessage): unknown {
    const body = parseJsonBody(message.raw, this.maxMessageBytes);
    return body.ok ? body.value : undefined;
  }

  private key(message: IncomingMessage): string {
    const replayedAt = headerText(message.headers, MessageHeaders.replayedAt);
    const life = replayedAt ? `@${bodyHash(Buffer.from(replayedAt)).slice(0, 16)}` : '';
    return `dead-letter:${this.queue}${life}`;
  }
}
