import type { MessageContract, RpcContract } from '@app/contracts';
import { rpcErrorReply } from '@app/contracts';
import { ACCEPTED_ID_PATTERN, CAUSATION_ID_HEADER, CORRELATION_ID_HEADER } from '@app/correlation';
import { MESSAGE_ID_HEADER, MESSAGE_ID_SCHEMA_PATTERN, MessageHeaders } from '@app/messaging';
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * A payload's JSON Schema as consumers accept it (zod's input side), in the draft 7 dialect
 * AsyncAPI schemas extend; refinements zod cannot express (a total that equals its items' sum,
 * a known currency) stay in the contract and are named in its description.
 */
export function payloadSchema(schema: z.ZodType): JsonSchema {
  const json: JsonSchema = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
  });
  // The document's schema format says the dialect once.
  delete json.$schema;
  return json;
}

const text = (description: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'string',
  description,
  ...extra,
});

/**
 * The headers of the system's messages (DESIGN §3): correlation, causation and trace on every
 * one, and those the consumers add to retried and dead-lettered copies.
 */
export function messageHeadersSchema(): JsonSchema {
  return {
    type: 'object',
    properties: {
      [CORRELATION_ID_HEADER]: text(
        'The correlation id of the whole flow; a message without one, or with one not matching ' +
          'the pattern, is handled under its messageId (where that matches) or a new id.',
        { pattern: ACCEPTED_ID_PATTERN },
      ),
      [CAUSATION_ID_HEADER]: text(
        'The messageId (or the HTTP request’s correlation id) of what caused this message; ' +
          'one not matching the pattern is ignored.',
        { pattern: MESSAGE_ID_SCHEMA_PATTERN },
      ),
      traceparent: text('W3C Trace Context parent.', {
        pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
      }),
      tracestate: text('W3C Trace Context vendor state.'),
      [MESSAGE_ID_HEADER]: text(
        'The message id, for clients that cannot set the messageId property (amqp-tools).',
        { pattern: MESSAGE_ID_SCHEMA_PATTERN },
      ),
      [MessageHeaders.attempt]: {
        type: 'integer',
        minimum: 1,
        description: 'On a copy in a retry queue: the attempt it will be.',
      },
      [MessageHeaders.deadline]: {
        type: 'integer',
        description:
          'On an RPC request: the caller’s deadline (epoch ms); past it, no work is done.',
      },
      [MessageHeaders.error]: text('On a dead-lettered copy: why it was dead-lettered.'),
      [MessageHeaders.attempts]: {
        type: 'integer',
        description: 'On a dead-lettered copy: the attempts made.',
      },
      [MessageHeaders.sourceQueue]: text('On a dead-lettered copy: the queue it failed on.'),
      [MessageHeaders.failedAt]: text('On a dead-lettered copy: when.', { format: 'date-time' }),
    },
  };
}

export type Contract = MessageContract | RpcContract;

export function isRpc(contract: Contract): contract is RpcContract {
  return 'routingKey' in contract;
}

/** The message name of a contract: its type, or its routing key plus `.request` / `.reply`. */
export function messageName(contract: Contract, part: 'request' | 'reply' = 'request'): string {
  return isRpc(contract) ? `${contract.routingKey}.${part}` : contract.type;
}

/** A responder that cannot answer replies with this instead of the reply. */
export const RPC_ERROR_MESSAGE = 'rpc.error';
export const rpcErrorSchema = (): JsonSchema => payloadSchema(rpcErrorReply);
