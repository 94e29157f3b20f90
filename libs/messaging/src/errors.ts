import { errorMessage } from '@app/platform';
import { HttpException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';

/**
 * Thrown by a handler (or the service it calls) for a message that can never succeed, e.g. a
 * payment result for an order that does not exist: it goes straight to the dead-letter queue.
 */
export class PermanentMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentMessageError';
  }
}

/** The broker accepted a `mandatory` message but no queue was bound to take it. */
export class UnroutableMessageError extends Error {
  constructor(
    readonly exchange: string,
    readonly routingKey: string,
  ) {
    super(`No queue is bound to exchange "${exchange}" for routing key "${routingKey}"`);
    this.name = 'UnroutableMessageError';
  }
}

/**
 * The broker refused the message (basic.nack): a queue it routes to is full and overflows with
 * `reject-publish` (QUEUE_MAX_LENGTH), or, rarely, a queue could not take it (an internal error
 * in the queue's process). Not a failure of the message: publish it again later.
 */
export class PublishRefusedError extends Error {
  constructor(
    readonly exchange: string,
    readonly routingKey: string,
  ) {
    super(
      `The broker refused the message for exchange "${exchange || '(default)'}", routing key "${routingKey}": a queue it goes to is full (QUEUE_MAX_LENGTH), or could not take it`,
    );
    this.name = 'PublishRefusedError';
  }
}

/**
 * RabbitMQ has blocked the service's connection (a memory or disk alarm): it would not read a
 * request sent now until the alarm clears, by when the caller's deadline may have passed.
 */
export class BrokerBlockedError extends Error {
  constructor(readonly reason: string) {
    super(`RabbitMQ has blocked the connection (${reason}): the request was not sent`);
    this.name = 'BrokerBlockedError';
  }
}

/**
 * The service's broker connection is down and its last attempt to connect failed: a request sent
 * now would wait in the channel's queue, unsent, past the caller's deadline.
 */
export class BrokerUnreachableError extends Error {
  constructor() {
    super('RabbitMQ cannot be reached (the service keeps trying): the request was not sent');
    this.name = 'BrokerUnreachableError';
  }
}

/** amqplib's error for a publish the broker answered with basic.nack. */
export function isBrokerNack(error: unknown): boolean {
  return error instanceof Error && error.message === 'message nacked';
}

/**
 * Why a copy sent to `queue` got no confirm, for the tools that move messages by hand. A nack:
 * the queues are bounded with reject-publish, so a full queue is its usual cause (amqplib says
 * only "message nacked"). Anything else, a channel closing, leaves it unknown whether it arrived.
 */
export function confirmFailure(error: Error, queue: string): Error {
  if (isBrokerNack(error)) return new Error(`the broker refused it (is ${queue} full?)`);
  return new Error(`no confirm (${errorMessage(error)}): the copy may be in ${queue} all the same`);
}

/** A message body above MAX_MESSAGE_BYTES: large payloads belong in storage, referenced by id. */
export class MessageTooLargeError extends Error {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`The message is ${bytes} bytes, above the ${limit}-byte limit (MAX_MESSAGE_BYTES)`);
    this.name = 'MessageTooLargeError';
  }
}

/**
 * Thrown when a message cannot be handled now for a reason outside it, such as a dependency
 * behind an open circuit breaker: it waits in a retry queue without using up an attempt, a
 * bounded number of times (then it counts like any failure).
 */
export class DeferMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeferMessageError';
  }
}

/** The remote side did not answer an RPC request before its deadline. */
export class RpcDeadlineExceededError extends Error {
  constructor(
    readonly routingKey: string,
    readonly timeoutMs: number,
  ) {
    super(`No reply to "${routingKey}" within ${timeoutMs} ms`);
    this.name = 'RpcDeadlineExceededError';
  }
}

/** The responder answered with an error reply, or with a reply that breaks the contract. */
export class RpcReplyError extends Error {
  constructor(
    readonly routingKey: string,
    readonly code: string,
    message: string,
  ) {
    super(`"${routingKey}" answered ${code}: ${message}`);
    this.name = 'RpcReplyError';
  }
}

/**
 * The reason a handler refused its message for good, or undefined for a failure worth another
 * try: a PermanentMessageError; Nest's RpcException, which a guard's refusal also is; or one of
 * Nest's HTTP exceptions of the 4xx class, which guards and pipes throw (a ForbiddenException,
 * the BadRequestException of ParseUUIDPipe or a ValidationPipe): no retry makes them pass. A
 * 408, 425 or 429 says "later" and is retried, or deferred where the queue's policy names it.
 */
export function refusalOf(error: unknown): string | undefined {
  if (error instanceof PermanentMessageError) return error.message;
  if (error instanceof HttpException && isRefusal(error.getStatus())) return httpRefusal(error);
  if (!(error instanceof RpcException)) return undefined;
  const detail = error.getError();
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}

/** Client errors, but for those that say "later" (408, 425, 429: a throttler's guard). */
const LATER = new Set([408, 425, 429]);
const isRefusal = (status: number) => status >= 400 && status < 500 && !LATER.has(status);

/** An HTTP exception's message, or its messages (a validation's), as one line. */
function httpRefusal(error: HttpException): string {
  const response = error.getResponse();
  const detail =
    typeof response === 'string' ? response : (response as { message?: unknown }).message;
  if (Array.isArray(detail)) return detail.map(String).join('; ');
  return typeof detail === 'string' ? detail : error.message;
}

export { errorMessage };

/**
 * A publish whose properties or headers the AMQP encoding cannot carry (a short string above 255
 * bytes, a header table too large for one frame): refused before it reaches the channel.
 */
export class InvalidPublishPropertiesError extends Error {
  constructor(problem: string) {
    super(`The message cannot be published: ${problem}`);
    this.name = 'InvalidPublishPropertiesError';
  }
}
