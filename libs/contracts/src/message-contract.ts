import type { z } from 'zod';

/** A message type and the schema of its JSON payload: the single source of its TypeScript type. */
export interface MessageContract<
  TType extends string = string,
  TSchema extends z.ZodType = z.ZodType,
> {
  readonly type: TType;
  readonly schema: TSchema;
}

/** Every contract defined so far, by type or routing key: a handler may name its contract by either. */
const definedContracts = new Map<string, MessageContract | RpcContract>();

/**
 * Keeps a name to one contract: a second definition would silently change what handlers of the
 * first validate against, so it stops the program where it is written.
 */
function register(name: string, contract: MessageContract | RpcContract): void {
  if (definedContracts.has(name)) {
    throw new Error(
      `A contract named "${name}" is already defined: each message type and RPC routing key has one contract`,
    );
  }
  definedContracts.set(name, contract);
}

/** The contract defined for a message type or RPC routing key, if any. */
export function contractNamed(name: string): MessageContract | RpcContract | undefined {
  return definedContracts.get(name);
}

export function defineMessage<const TType extends string, TSchema extends z.ZodType>(
  type: TType,
  schema: TSchema,
): MessageContract<TType, TSchema> {
  const contract = { type, schema };
  register(type, contract);
  return contract;
}

export type PayloadOf<TContract extends MessageContract> = z.output<TContract['schema']>;

/** A request/reply pair answered on one routing key of the `rpc` exchange. */
export interface RpcContract<
  TRequest extends z.ZodType = z.ZodType,
  TReply extends z.ZodType = z.ZodType,
> {
  readonly routingKey: string;
  readonly request: TRequest;
  readonly reply: TReply;
}

export function defineRpc<TRequest extends z.ZodType, TReply extends z.ZodType>(
  routingKey: string,
  request: TRequest,
  reply: TReply,
): RpcContract<TRequest, TReply> {
  const contract = { routingKey, request, reply };
  register(routingKey, contract);
  return contract;
}

export type RequestOf<TContract extends RpcContract> = z.output<TContract['request']>;
export type ReplyOf<TContract extends RpcContract> = z.output<TContract['reply']>;
