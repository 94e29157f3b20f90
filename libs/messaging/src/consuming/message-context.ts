import { BaseRpcContext } from '@nestjs/microservices';
import type { ConsumeMessage } from 'amqplib';
import type { Headers } from '../message-headers';

/**
 * What a handler may know about the message it handles, besides its validated payload: what
 * `@Ctx()` gives a message handler, and what guards and interceptors read through
 * `context.switchToRpc().getContext()`.
 */
export class MessageContext extends BaseRpcContext<[ConsumeMessage]> {
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

  constructor(fields: MessageContextFields) {
    super([fields.raw]);
    this.messageId = fields.messageId;
    this.type = fields.type;
    this.queue = fields.queue;
    this.correlationId = fields.correlationId;
    this.causationId = fields.causationId;
    this.attempt = fields.attempt;
    this.maxAttempts = fields.maxAttempts;
    this.headers = fields.headers;
  }

  /** The delivery as amqplib received it: properties, fields and the undecoded body. */
  get raw(): ConsumeMessage {
    return this.args[0];
  }
}

/** The fields of a MessageContext, as the consumer reads them from the delivery. */
export type MessageContextFields = Pick<
  MessageContext,
  | 'messageId'
  | 'type'
  | 'queue'
  | 'correlationId'
  | 'causationId'
  | 'attempt'
  | 'maxAttempts'
  | 'headers'
  | 'raw'
>;
