import { rpcErrorReply, type ReplyOf, type RpcContract } from '@app/contracts';
import { RpcReplyError } from '../errors';

/** What a reply whose body does not parse as JSON is handed to its caller as. */
export const NOT_JSON = Symbol('a reply that is not JSON');

/** The answer a reply carries for `contract`; RpcReplyError for an error reply or a bad one. */
export function readReply<TContract extends RpcContract>(
  contract: TContract,
  reply: unknown,
): ReplyOf<TContract> {
  if (reply === NOT_JSON) {
    throw new RpcReplyError(contract.routingKey, 'INVALID_REPLY', 'The reply is not JSON');
  }
  // An error reply first: a reply schema whose fields are all optional would take one for an
  // answer, as zod drops the keys it does not know.
  const failure = hasErrorKey(reply) ? rpcErrorReply.safeParse(reply) : undefined;
  if (failure?.success) {
    const { code, message } = failure.data.error;
    throw new RpcReplyError(contract.routingKey, code, message);
  }
  const parsed = contract.reply.safeParse(reply);
  if (parsed.success) return parsed.data as ReplyOf<TContract>;
  throw new RpcReplyError(contract.routingKey, 'INVALID_REPLY', parsed.error.message);
}

function hasErrorKey(reply: unknown): boolean {
  return typeof reply === 'object' && reply !== null && 'error' in reply;
}
