import type { MessageContract } from '@app/contracts';

export interface QueueBinding {
  exchange: string;
  routingKey: string;
}

/**
 * A durable quorum queue this service consumes, with its dead-letter queue and retry queues.
 * `retryDelaysMs` overrides the service-wide RETRY_DELAYS_MS for this queue only.
 */
export interface ConsumerQueue {
  readonly kind: 'consumer';
  readonly name: string;
  readonly bindings: readonly QueueBinding[];
  /**
   * Messages handled at once. Each holds a database connection for its transaction, so the
   * prefetch counts of a service together stay well below its pool (DEFAULT_POOL_SIZE, 20).
   */
  readonly prefetch: number;
  readonly retryDelaysMs?: readonly number[];
}

/** A request queue answered over direct reply-to; requests expire at the caller's deadline. */
export interface RpcQueue {
  readonly kind: 'rpc';
  readonly name: string;
  readonly binding: QueueBinding;
  readonly prefetch: number;
}

export type QueueDefinition = ConsumerQueue | RpcQueue;

export interface ServiceTopology {
  readonly service: string;
  readonly queues: Readonly<Record<string, QueueDefinition>>;
}

export function consumerQueue(definition: Omit<ConsumerQueue, 'kind'>): ConsumerQueue {
  return { kind: 'consumer', ...definition };
}

export function rpcQueue(definition: Omit<RpcQueue, 'kind'>): RpcQueue {
  return { kind: 'rpc', ...definition };
}

/** Binds a queue to the routing keys of the contracts it consumes, so names live in one place. */
export function bindingsFor(exchange: string, contracts: MessageContract[]): QueueBinding[] {
  return contracts.map((contract) => ({ exchange, routingKey: contract.type }));
}

export function defineTopology<const T extends ServiceTopology>(topology: T): T {
  return topology;
}
