import type { MessageContract } from '@app/contracts';
import type { CorrelationContext } from '@app/correlation';
import type { MessagingMetrics } from '@app/telemetry';
import type { Logger } from '@nestjs/common';
import type { ConsumeMessage } from 'amqplib';
import { errorMessage } from '../errors';
import type { ConsumerQueue, FailurePolicy } from '../topology/topology';
import { bodyHash } from './body-hash';
import { classifyFailure } from './failure-policy';
import { handlerContext, inSenderContext, readPayload } from './delivery';
import { envelopeProblem } from './envelope-validator';
import { describe, type FailureRouter } from './failure-router';
import type { HandlerOutcome, HandlerTransaction } from './handler-transaction';
import type { HandlerResultListener } from './handler-result-listener';
import { holdThroughOutage, ShutdownDuringOutageError } from './hold-through-outage';
import { type IncomingMessage, readIncomingMessage } from './incoming-message';
import type { MessageContext } from './message-context';
import type { Settlement } from './settlement';

export interface BoundHandler {
  contract: MessageContract;
  /** Stable name of the handler slot, recorded in the inbox with the message id. */
  key: string;
  invoke: (payload: unknown, context: MessageContext) => Promise<unknown>;
}

interface Accepted {
  handler: BoundHandler;
  payload: unknown;
  context: MessageContext;
}

/**
 * Turns one delivery into one settlement: checks the envelope and payload before any handler
 * runs (what fails here can never succeed, so it is dead-lettered at once), runs the handler
 * exactly once through the inbox, holds the message while the database is unreachable, and
 * sends other transient failures to a delayed retry.
 */
export class EventProcessor {
  constructor(
    private readonly queue: ConsumerQueue,
    private readonly handlers: ReadonlyMap<string, BoundHandler>,
    private readonly deps: {
      router: FailureRouter;
      /** The queue's failure policy, with its service's. */
      failures: FailurePolicy;
      transaction: HandlerTransaction;
      correlation: CorrelationContext;
      maxMessageBytes: number;
      logger: Logger;
      /** Aborted when the process starts shutting down. */
      stopping: AbortSignal;
      metrics: Pick<MessagingMetrics, 'messageSettled'>;
      /** Hears of each handler's result, in its transaction (the workflow library's). */
      results?: HandlerResultListener;
    },
  ) {}

  readonly process = (raw: ConsumeMessage): Promise<Settlement> => {
    const message = readIncomingMessage(raw, this.queue.name, this.deps.router.maxAttempts);
    return inSenderContext(this.deps.correlation, message, () => this.handle(message));
  };

  private async handle(message: IncomingMessage): Promise<Settlement> {
    const accepted = this.accept(message);
    if (typeof accepted === 'string') return this.deps.router.deadLetter(message, accepted);
    try {
      const hash = bodyHash(message.raw.content);
      const outcome = await this.runExactlyOnce(message, accepted, hash);
      const duplicate = outcome.kind === 'duplicate';
      this.deps.metrics.messageSettled(
        this.queue.name,
        message.type,
        duplicate ? 'duplicate' : 'ack',
      );
      if (duplicate) this.reportDuplicate(message, hash, outcome.storedBodyHash);
      else this.deps.logger.debug(`Handled ${describe(message)}`);
      return 'ack';
    } catch (error) {
      return this.settleFailure(message, error);
    }
  }

  /** A redelivery is routine; an id reused for another body is a sender's bug, or a forgery. */
  private reportDuplicate(message: IncomingMessage, hash: string, stored?: string): void {
    if (stored === undefined || stored === hash) {
      this.deps.logger.log(`Skipped ${describe(message)}: already handled`);
      return;
    }
    this.deps.logger.warn(
      `Skipped ${describe(message)}: its messageId was already handled with another body ` +
        `(handled body sha256 ${stored}, this body sha256 ${hash}); the first one stands`,
    );
  }

  /** The handler and its inbox record in one transaction, held through a database outage. */
  private runExactlyOnce(
    message: IncomingMessage,
    { handler, payload, context }: Accepted,
    hash: string,
  ): Promise<HandlerOutcome> {
    const entry = { messageId: context.messageId, handlerKey: handler.key, bodyHash: hash };
    return holdThroughOutage(
      () =>
        this.deps.transaction.runOnce(entry, async () => {
          const result = await handler.invoke(payload, context);
          await this.deps.results?.handled(result, context);
        }),
      {
        isOutage: (error) => this.deps.transaction.isUnavailable(error),
        stopping: this.deps.stopping,
        onHold: (error, pauseMs) =>
          this.deps.logger.warn(
            `Holding ${describe(message)}: the database is unreachable (${errorMessage(error)}); trying again in ${pauseMs} ms`,
          ),
      },
    );
  }

  private settleFailure(
    message: IncomingMessage,
    error: unknown,
  ): Promise<Settlement> | Settlement {
    // Unacked, the message goes back to the queue when the channel closes; say so explicitly.
    if (error instanceof ShutdownDuringOutageError) {
      this.deps.metrics.messageSettled(this.queue.name, message.type, 'requeued');
      return 'release';
    }
    const storeProblem = this.deps.transaction.permanentFailure(error);
    if (storeProblem) return this.deps.router.deadLetter(message, storeProblem);
    const failure = classifyFailure(error, this.deps.failures);
    if (failure.kind === 'permanent') return this.deps.router.deadLetter(message, failure.reason);
    if (failure.kind === 'defer') return this.deps.router.deferLater(message, error);
    return this.deps.router.retryLater(message, error);
  }

  /** Returns the handler, payload and context, or the reason the message can never be handled. */
  private accept(message: IncomingMessage): Accepted | string {
    const envelope = envelopeProblem(message);
    if (envelope) return envelope;
    const handler = this.handlers.get(message.type);
    if (!handler) return `no handler for message type "${message.type}" on ${this.queue.name}`;
    if (!message.messageId) return 'the message has no messageId, so it cannot be deduplicated';
    const payload = readPayload(message, handler.contract.schema, this.deps.maxMessageBytes);
    if (!payload.ok) {
      return payload.part === 'payload'
        ? `invalid ${message.type} payload: ${payload.reason}`
        : payload.reason;
    }
    const context = handlerContext(message, {
      messageId: message.messageId,
      attempt: message.attempt,
      maxAttempts: this.deps.router.maxAttempts,
    });
    return { handler, payload: payload.value, context };
  }
}
