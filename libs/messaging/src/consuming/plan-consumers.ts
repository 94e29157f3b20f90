import type { MessageContract, RpcContract } from '@app/contracts';
import type { ConsumerQueue, FailurePolicy, RpcQueue, ServiceTopology } from '../topology/topology';
import type { BoundHandler } from './event-processor';
import { combinePolicies } from './failure-policy';
import type { MessageContext } from './message-context';
import type { BoundResponder } from '../rpc/rpc-processor';

/** An `@EventPattern` method: the queue its controller consumes and the contract it takes. */
export interface EventHandlerMetadata {
  queue: ConsumerQueue;
  contract: MessageContract;
}

/** A `@MessagePattern` method: the RPC queue its controller answers and the contract. */
export interface RpcResponderMetadata {
  queue: RpcQueue;
  contract: RpcContract;
}

export interface Discovered<TMeta> {
  meta: TMeta;
  /** `Class.method`, for boot errors. */
  name: string;
  invoke: (payload: unknown, context: MessageContext) => Promise<unknown>;
}

export interface ConsumerPlan {
  consumerQueues: {
    queue: ConsumerQueue;
    handlers: Map<string, BoundHandler>;
    /** The queue's failure policy added to its service's. */
    failures: FailurePolicy;
  }[];
  rpcQueues: { queue: RpcQueue; responder: BoundResponder }[];
}

/**
 * Matches discovered handlers to the topology and refuses to boot on a mismatch: a handler for
 * a queue the topology does not declare, two handlers for one message type, or a declared queue
 * nobody handles (its messages would all be dead-lettered). A queue's bindings then follow from
 * its handlers' types.
 */
export function planConsumers(
  topology: ServiceTopology,
  handlers: Discovered<EventHandlerMetadata>[],
  responders: Discovered<RpcResponderMetadata>[],
): ConsumerPlan {
  const declared = new Map(Object.values(topology.queues).map((queue) => [queue.name, queue]));
  const plan: ConsumerPlan = { consumerQueues: [], rpcQueues: [] };
  const byQueue = new Map<string, Map<string, BoundHandler>>();

  for (const { meta, name, invoke } of handlers) {
    assertDeclared(declared, meta.queue.name, name, topology.service);
    const forQueue = byQueue.get(meta.queue.name) ?? new Map<string, BoundHandler>();
    if (forQueue.has(meta.contract.type)) {
      throw new Error(
        `${name}: a second handler for "${meta.contract.type}" on ${meta.queue.name}`,
      );
    }
    forQueue.set(meta.contract.type, {
      contract: meta.contract,
      key: `${meta.queue.name}#${meta.contract.type}`,
      invoke,
    });
    byQueue.set(meta.queue.name, forQueue);
  }
  const responderByQueue = new Map<string, BoundResponder>();
  for (const { meta, name, invoke } of responders) {
    assertDeclared(declared, meta.queue.name, name, topology.service);
    if (responderByQueue.has(meta.queue.name)) {
      throw new Error(`${name}: a second responder for ${meta.queue.name}`);
    }
    responderByQueue.set(meta.queue.name, { contract: meta.contract, invoke });
  }

  for (const queue of declared.values()) {
    if (queue.kind === 'consumer') {
      const queueHandlers = byQueue.get(queue.name);
      if (!queueHandlers) throw new Error(`No @EventPattern handler consumes ${queue.name}`);
      const failures = combinePolicies(topology.failures, queue.failures);
      plan.consumerQueues.push({ queue, handlers: queueHandlers, failures });
    } else {
      const responder = responderByQueue.get(queue.name);
      if (!responder) throw new Error(`No @MessagePattern responder answers ${queue.name}`);
      plan.rpcQueues.push({ queue, responder });
    }
  }
  return plan;
}

function assertDeclared(
  declared: Map<string, unknown>,
  queue: string,
  handlerName: string,
  service: string,
): void {
  if (!declared.has(queue)) {
    throw new Error(
      `${handlerName} consumes ${queue}, which the ${service} topology does not declare`,
    );
  }
}
