import { contractNamed, type MessageContract, type RpcContract } from '@app/contracts';

export type HandlerContract =
  { kind: 'event'; contract: MessageContract } | { kind: 'rpc'; contract: RpcContract };

function isMessageContract(value: object): value is MessageContract {
  return 'type' in value && typeof value.type === 'string' && 'schema' in value;
}

function isRpcContract(value: object): value is RpcContract {
  return 'routingKey' in value && typeof value.routingKey === 'string' && 'request' in value;
}

function classify(value: unknown): HandlerContract | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (isMessageContract(value)) return { kind: 'event', contract: value };
  if (isRpcContract(value)) return { kind: 'rpc', contract: value };
  return undefined;
}

/**
 * The contract a handler's pattern names: the contract itself (`@EventPattern(OrderCreated)`)
 * or its message type or routing key (`@EventPattern('order.created')`). Anything else stops
 * boot: without a contract there is no schema to validate the payload against.
 */
export function contractOfPattern(pattern: unknown): HandlerContract {
  const found = classify(typeof pattern === 'string' ? contractNamed(pattern) : pattern);
  if (found) return found;
  throw new Error(
    `No message contract is defined for the pattern ${describePattern(pattern)}: use a contract from @app/contracts or its type`,
  );
}

/** The type string a pattern stands for, as handlers are keyed by the transport. */
export function patternName(pattern: unknown): string {
  if (typeof pattern === 'string') return pattern;
  const found = classify(pattern);
  if (!found) return describePattern(pattern);
  return found.kind === 'event' ? found.contract.type : found.contract.routingKey;
}

function describePattern(pattern: unknown): string {
  try {
    return JSON.stringify(pattern) ?? String(pattern);
  } catch {
    return String(pattern);
  }
}
