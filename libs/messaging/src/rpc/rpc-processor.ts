import type { RpcContract, RpcErrorReply } from '@app/contracts';
import {
  CAUSATION_ID_HEADER,
  CORRELATION_ID_HEADER,
  type CorrelationContext,
} from '@app/correlation';
import type { MessagingMetrics } from '@app/telemetry';
import type { Logger } from '@nestjs/common';
import type { ConsumeMessage, Options } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { handlerContext, inSenderContext, readPayload } from '../consuming/delivery';
import { replyToProblem } from '../consuming/envelope-validator';
import type { FailureRouter } from '../consuming/failure-router';
import { type IncomingMessage, readIncomingMessage } from '../consuming/incoming-message';
import type { MessageContext } from '../consuming/message-context';
import type { Settlement } from '../consuming/settlement';
import { errorMessage, MessageTooLargeError, refusalOf } from '../errors';
import { headerInteger, MessageHeaders } from '../message-headers';
import type { MessagePublisher } from '../publishing/message-publisher';
import type { RpcQueue } from '../topology/topology';

export interface BoundResponder {
  contract: RpcContract;
  invoke: (request: unknown, context: MessageContext) => Promise<unknown>;
}

const errorReply = (code: RpcErrorReply['error']['code'], message: string): RpcErrorReply => ({
  error: { code, message },
});

/**
 * Answers RPC requests. Every request with a reply address gets exactly one reply: the result,
 * or an error reply (invalid request, a refusal, or the responder failed; no stack). A request whose
 * deadline has passed is dropped unanswered: its caller has already given up.
 */
export class RpcProcessor {
  constructor(
    private readonly queue: RpcQueue,
    private readonly responder: BoundResponder,
    private readonly deps: {
      publisher: MessagePublisher;
      router: FailureRouter;
      correlation: CorrelationContext;
      maxMessageBytes: number;
      logger: Logger;
      metrics: Pick<MessagingMetrics, 'messageSettled'>;
    },
  ) {}

  readonly process = (raw: ConsumeMessage): Promise<Settlement> => {
    const message = readIncomingMessage(raw, this.queue.name, 1);
    return inSenderContext(this.deps.correlation, message, () => this.answer(message));
  };

  private async answer(message: IncomingMessage): Promise<Settlement> {
    const { replyTo, correlationId } = message.raw.properties as {
      replyTo?: string;
      correlationId?: string;
    };
    if (!replyTo || !correlationId) {
      return this.deps.router.deadLetter(message, 'RPC request without replyTo and correlationId');
    }
    const replyToInvalid = replyToProblem(replyTo);
    if (replyToInvalid) return this.deps.router.deadLetter(message, replyToInvalid);
    const deadline = headerInteger(message.headers, MessageHeaders.deadline);
    if (deadline !== undefined && Date.now() > deadline) {
      this.deps.logger.warn(`Dropped ${this.queue.binding.routingKey} request past its deadline`);
      this.deps.metrics.messageSettled(this.queue.name, message.type, 'expired');
      return 'ack';
    }
    const reply = await this.replyFor(message, correlationId);
    const headers = {
      [CORRELATION_ID_HEADER]: message.correlationId,
      [CAUSATION_ID_HEADER]: message.messageId ?? correlationId,
    };
    const properties = {
      correlationId,
      messageId: randomUUID(),
      type: `${this.queue.binding.routingKey}.reply`,
      timestamp: Math.floor(Date.now() / 1000),
      headers,
    };
    // The request is done either way: a lost reply only makes the caller time out, so the ack
    // does not wait for the reply's confirm, and the next request is taken at once.
    this.sendReply(replyTo, properties, reply).catch((error: unknown) =>
      this.deps.logger.warn(`Could not send an RPC reply: ${errorMessage(error)}`),
    );
    this.deps.metrics.messageSettled(this.queue.name, message.type, 'replied');
    return 'ack';
  }

  /** A reply too large to send is a failure of the responder: the caller hears so at once. */
  private async sendReply(replyTo: string, properties: Options.Publish, reply: unknown) {
    try {
      await this.deps.publisher.reply(replyTo, properties, reply);
    } catch (error) {
      if (!(error instanceof MessageTooLargeError)) throw error;
      this.deps.logger.error(
        `Reply of ${this.queue.binding.routingKey} not sent: ${error.message}`,
      );
      const failure = errorReply('INTERNAL', 'The reply is too large to send; see its logs');
      await this.deps.publisher.reply(replyTo, properties, failure);
    }
  }

  private async replyFor(message: IncomingMessage, requestId: string): Promise<unknown> {
    const { contract } = this.responder;
    const request = readPayload(message, contract.request, this.deps.maxMessageBytes);
    if (!request.ok) return errorReply('INVALID_REQUEST', request.reason);
    // An RPC request is answered once: its first attempt is its last.
    const at = { messageId: message.messageId ?? requestId, attempt: 1, maxAttempts: 1 };
    try {
      const reply = await this.responder.invoke(request.value, handlerContext(message, at));
      return contract.reply.parse(reply);
    } catch (error) {
      return this.failureReply(error);
    }
  }

  /**
   * A refusal (a guard's, an RpcException, a PermanentMessageError) is the responder's answer,
   * its reason written for the caller; anything else is a failure whose text stays in the log.
   */
  private failureReply(error: unknown): RpcErrorReply {
    const { routingKey } = this.queue.binding;
    const refusal = refusalOf(error);
    if (refusal !== undefined) {
      this.deps.logger.warn(`Responder of ${routingKey} refused a request: ${refusal}`);
      return errorReply('REFUSED', refusal);
    }
    this.deps.logger.error(
      { err: error },
      `Responder of ${routingKey} failed: ${errorMessage(error)}`,
    );
    return errorReply('INTERNAL', 'The responder could not answer; see its logs');
  }
}
