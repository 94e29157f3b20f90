import type { MessagingMetrics } from '@app/telemetry';
import type { Logger } from '@nestjs/common';
import type { Options } from 'amqplib';
import { errorMessage } from '../errors';
import { boundedCount, type Headers, MessageHeaders } from '../message-headers';
import { copiedProperties } from '../publishing/copied-properties';
import type { MessagePublisher } from '../publishing/message-publisher';
import { deadLetterQueueName, pickJitteredDelay, retryQueueName } from '../topology/queue-names';
import type { DeadLetterRecord } from './dead-letter-record';
import type { IncomingMessage } from './incoming-message';
import type { Settlement } from './settlement';
import { wireSafeCopy } from './wire-safe-copy';

const MAX_REASON_LENGTH = 500;

/** How many times a message may wait out a dependency's outage before failures count again. */
export const MAX_DEFERRALS = 10;

const shorten = (text: string, length = MAX_REASON_LENGTH): string =>
  text.length > length ? `${text.slice(0, length - 1)}…` : text;

/** A copy of a consumed message, as the consumer read it, with the headers the copier wrote. */
function copyOf(message: IncomingMessage, headers: Headers): Options.Publish {
  return copiedProperties(message.raw.properties, {
    // The id the consumer read, which may have come from the x-message-id header; a rejected
    // id is kept too, moved out of the way by wireSafeCopy when the wire cannot carry it.
    messageId: message.messageId ?? message.rejectedMessageId,
    type: message.type,
    headers,
  });
}

export interface FailureRouterOptions {
  /** Given, duplicate deliveries of a message leave one dead-letter copy, not one each. */
  record?: DeadLetterRecord;
  /** Chooses the jittered delay of each retry; tests pin it. */
  random?: () => number;
  /**
   * What the broker does with a rejected message of this queue: a consumer queue dead-letters
   * it to its `.dlq`; an RPC queue has no dead-letter exchange (its requests expire), so a
   * request whose copy failed is dropped.
   */
  onReject?: RejectFate;
}

/** What becomes of a message rejected to the broker: what the log says, how it is counted. */
export interface RejectFate {
  readonly says: string;
  readonly outcome: 'rejected' | 'dropped';
}

export const REJECT_DEAD_LETTERS: RejectFate = {
  says: 'rejecting it so the broker dead-letters it',
  outcome: 'rejected',
};
export const REJECT_DROPS: RejectFate = {
  says: 'dropping it: an RPC queue has no dead-letter exchange',
  outcome: 'dropped',
};

/**
 * Decides where a message goes when its handler cannot finish it: to a retry queue that sends
 * it back after a delay, or to the dead-letter queue with the reason. The copy is confirmed
 * before the original is acked; if the copy fails, the original is rejected (a consumer queue's
 * broker then dead-letters it) or requeued, so it is never lost.
 */
export class FailureRouter {
  private readonly record?: DeadLetterRecord;
  private readonly random: () => number;
  private readonly onReject: RejectFate;

  constructor(
    private readonly publisher: MessagePublisher,
    private readonly queue: string,
    private readonly retryDelaysMs: readonly number[],
    private readonly logger: Logger,
    private readonly metrics: Pick<MessagingMetrics, 'messageSettled'>,
    options: FailureRouterOptions = {},
  ) {
    this.record = options.record;
    this.random = options.random ?? Math.random;
    this.onReject = options.onReject ?? REJECT_DEAD_LETTERS;
  }

  get maxAttempts(): number {
    return this.retryDelaysMs.length + 1;
  }

  async deadLetter(message: IncomingMessage, reason: string): Promise<Settlement> {
    const headers: Headers = {
      ...message.headers,
      [MessageHeaders.error]: shorten(reason),
      [MessageHeaders.attempts]: message.attempt,
      [MessageHeaders.sourceQueue]: this.queue,
      [MessageHeaders.failedAt]: new Date().toISOString(),
    };
    const target = deadLetterQueueName(this.queue);
    const copy = () => this.publishCopy(target, message, headers, MessageHeaders.error);
    try {
      if ((await (this.record?.copyOnce(message, shorten(reason), copy) ?? copy())) === 'already') {
        this.logger.warn(`Acked ${describe(message)}: a copy is already in ${target} (${reason})`);
        this.metrics.messageSettled(this.queue, message.type, 'duplicate');
        return 'ack';
      }
    } catch (error) {
      this.logger.error(
        `Could not copy ${describe(message)} to ${target} (${errorMessage(error)}); ${this.onReject.says}`,
      );
      this.metrics.messageSettled(this.queue, message.type, this.onReject.outcome);
      return 'reject';
    }
    this.logger.error(`Dead-lettered ${describe(message)} to ${target}: ${reason}`);
    this.metrics.messageSettled(this.queue, message.type, 'dead_lettered');
    return 'ack';
  }

  async retryLater(message: IncomingMessage, error: unknown): Promise<Settlement> {
    const reason = errorMessage(error);
    if (message.attempt >= this.maxAttempts) {
      const note = ` (gave up after ${message.attempt} attempts)`;
      return this.deadLetter(message, `${shorten(reason, MAX_REASON_LENGTH - note.length)}${note}`);
    }
    const delayMs = pickJitteredDelay(this.retryDelaysMs[message.attempt - 1], this.random);
    const headers = { [MessageHeaders.attempt]: message.attempt + 1 };
    return this.sendToRetryQueue(message, delayMs, headers, reason, 'retry', () =>
      this.logger.warn(
        `Attempt ${message.attempt}/${this.maxAttempts} of ${describe(message)} failed (${reason}); retrying in ${delayMs} ms`,
      ),
    );
  }

  /**
   * For a failure outside the message (a dependency known to be down): wait the longest retry
   * delay without using up an attempt, at most MAX_DEFERRALS times, then count as a failure.
   */
  async deferLater(message: IncomingMessage, error: unknown): Promise<Settlement> {
    const deferrals = boundedCount(message.headers, MessageHeaders.deferrals, {
      min: 0,
      max: MAX_DEFERRALS,
    });
    const longestMs = this.retryDelaysMs.at(-1);
    if (longestMs === undefined || deferrals >= MAX_DEFERRALS)
      return this.retryLater(message, error);
    const delayMs = pickJitteredDelay(longestMs, this.random);
    const reason = errorMessage(error);
    const headers = { [MessageHeaders.deferrals]: deferrals + 1 };
    return this.sendToRetryQueue(message, delayMs, headers, reason, 'deferred', () =>
      this.logger.warn(
        `Deferred ${describe(message)} (${reason}); trying again in ${delayMs} ms without using an attempt (${deferrals + 1}/${MAX_DEFERRALS})`,
      ),
    );
  }

  private async sendToRetryQueue(
    message: IncomingMessage,
    delayMs: number,
    extraHeaders: Headers,
    reason: string,
    outcome: 'retry' | 'deferred',
    onScheduled: () => void,
  ): Promise<Settlement> {
    const headers: Headers = {
      ...message.headers,
      ...extraHeaders,
      [MessageHeaders.lastError]: shorten(reason),
    };
    try {
      await this.publishCopy(
        retryQueueName(this.queue, delayMs),
        message,
        headers,
        MessageHeaders.lastError,
      );
    } catch (publishError) {
      this.logger.warn(
        `Could not schedule a retry of ${describe(message)} (${errorMessage(publishError)}); requeueing it`,
      );
      this.metrics.messageSettled(this.queue, message.type, 'requeued');
      return 'requeue';
    }
    onScheduled();
    this.metrics.messageSettled(this.queue, message.type, outcome);
    return 'ack';
  }

  /** A copy the broker accepts; what had to change to make it so is added to `noteHeader`. */
  private async publishCopy(
    queue: string,
    message: IncomingMessage,
    headers: Headers,
    noteHeader: string,
  ): Promise<void> {
    const copy = wireSafeCopy(copyOf(message, headers));
    if (copy.notes.length > 0) {
      const note = shorten(`; the copy: ${copy.notes.join(', ')}`, MAX_REASON_LENGTH / 2);
      const reason = shorten(String(headers[noteHeader]), MAX_REASON_LENGTH - note.length);
      (copy.properties.headers as Headers)[noteHeader] = `${reason}${note}`;
    }
    await this.publisher.publishRaw('', queue, message.raw.content, copy.properties);
  }
}

export function describe(message: IncomingMessage): string {
  const id = message.messageId ?? (message.idProblem ? '(invalid messageId)' : '(no messageId)');
  return `${shorten(message.type, 100)} ${id} on ${message.queue}`;
}
