import { SetMetadata } from '@nestjs/common';
import type { MessageContract, RpcContract } from '@app/contracts';
import type { ConsumerQueue, RpcQueue } from '../topology/topology';

export const HANDLE_MESSAGE = Symbol('messaging:handle-message');
export const ANSWER_RPC = Symbol('messaging:answer-rpc');

export interface HandleMessageMetadata {
  queue: ConsumerQueue;
  contract: MessageContract;
}

export interface AnswerRpcMetadata {
  queue: RpcQueue;
  contract: RpcContract;
}

/**
 * Marks a method as the handler of `contract` messages arriving on `queue` (declared in the
 * service's topology). The method receives the validated payload and a MessageContext; it runs
 * in one transaction with the inbox record, and the message is acked only after that commits.
 */
export const HandleMessage = (queue: ConsumerQueue, contract: MessageContract): MethodDecorator =>
  SetMetadata<symbol, HandleMessageMetadata>(HANDLE_MESSAGE, { queue, contract });

/**
 * Marks a method as the responder of an RPC queue. It receives the validated request and
 * returns the reply; a thrown error becomes an error reply, never a requeue.
 */
export const AnswerRpc = (queue: RpcQueue, contract: RpcContract): MethodDecorator =>
  SetMetadata<symbol, AnswerRpcMetadata>(ANSWER_RPC, { queue, contract });
