export interface QueueBinding {
  exchange: string;
  routingKey: string;
}

/** An error class a failure policy names; `instanceof` decides, so subclasses count too. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Which of the domain's own errors a queue's handlers treat specially (the domain throws them
 * and imports nothing from messaging to do so). `permanent`: the message can never succeed and
 * is dead-lettered at once. `defer`: a dependency is down for now (an open circuit), so the
 * message waits in the longest retry queue without using up an attempt. Any other error is
 * retried after the retry delays. PermanentMessageError, Nest's RpcException (a guard's refusal)
 * and DeferMessageError keep their meaning everywhere.
 */
export interface FailurePolicy {
  readonly permanent?: readonly ErrorClass[];
  readonly defer?: readonly ErrorClass[];
}

/**
 * A durable quorum queue this service consumes, with its dead-letter queue and retry queues:
 * its failure policy beside it, like a consumer definition. `retryDelaysMs` overrides the
 * service-wide RETRY_DELAYS_MS for this queue only; `failures` adds to the service's.
 */
export interface ConsumerQueue {
  readonly kind: 'consumer';
  readonly name: string;
  /**
   * The exchange the queue is bound on, once per message type its handlers take: the bindings
   * follow from the handlers. None for a work queue that producers send to directly.
   */
  readonly exchange?: string;
  /**
   * Messages handled at once. On a consumer queue each holds a database connection for its
   * transaction, and the service's pool grows with them (databasePoolSize in @app/services); an
   * RPC request holds one for its read only.
   */
  readonly prefetch: number;
  readonly retryDelaysMs?: readonly number[];
  readonly failures?: FailurePolicy;
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
  /** The failure policy of every consumer queue of the service. */
  readonly failures?: FailurePolicy;
  readonly queues: Readonly<Record<string, QueueDefinition>>;
}

export function consumerQueue(definition: Omit<ConsumerQueue, 'kind'>): ConsumerQueue {
  return { kind: 'consumer', ...definition };
}

export function rpcQueue(definition: Omit<RpcQueue, 'kind'>): RpcQueue {
  return { kind: 'rpc', ...definition };
}

/** A consumer queue's bindings: one per message type its handlers take, on its exchange. */
export function queueBindings(queue: ConsumerQueue, types: Iterable<string>): QueueBinding[] {
  const { exchange } = queue;
  return exchange === undefined ? [] : [...types].map((routingKey) => ({ exchange, routingKey }));
}

export function defineTopology<const T extends ServiceTopology>(topology: T): T {
  return topology;
}

/** The keys of a topology's consumer queues: the queues a failure policy can be given to. */
export type ConsumerQueueKey<T extends ServiceTopology> = {
  [K in keyof T['queues']]: T['queues'][K] extends ConsumerQueue ? K : never;
}[keyof T['queues']];

/** A service's failure policy, and its consumer queues' own, by queue key. */
export interface FailurePolicies<T extends ServiceTopology> {
  readonly service?: FailurePolicy;
  readonly queues?: { readonly [K in ConsumerQueueKey<T>]?: FailurePolicy };
}

/**
 * A topology with the failure policies of the service that runs it. The queues are plain data
 * shared with the tools; which of the domain's errors are permanent or defer is the app's own.
 */
export function withFailurePolicies<const T extends ServiceTopology>(
  topology: T,
  policies: FailurePolicies<T>,
): T & Pick<ServiceTopology, 'failures'> {
  const byQueue: Partial<Record<string, FailurePolicy>> = policies.queues ?? {};
  const queues = Object.fromEntries(
    Object.entries(topology.queues).map(([key, queue]) => {
      const failures = byQueue[key];
      return [key, failures && queue.kind === 'consumer' ? { ...queue, failures } : queue];
    }),
  );
  return { ...topology, queues, failures: policies.service ?? topology.failures };
}
