import type { MessageContract, RpcContract } from '@app/contracts';
import {
  contractOfPattern,
  declareConsumerQueue,
  declareEventLog,
  declareExchanges,
  declareRpcQueue,
  type QueueDefinition,
} from '@app/messaging';
import { DEFAULT_EVENT_LOG_MAX_AGE } from '@app/platform';
import type { ServiceDefinition } from '@app/services';
import {
  type DeclaredBinding,
  type DeclaredExchange,
  type DeclaredQueue,
  RecordingChannel,
} from './recording-channel';
import { messageRoutesOfService } from './service-handlers';

/** The service settings that shape the topology; run the tools with the services' values. */
export interface TopologySettings {
  retryDelaysMs: readonly number[];
  quorumInitialGroupSize?: number;
  queueMaxLength?: number;
  /** Unset: the services' default (EVENT_LOG_MAX_AGE). */
  eventLogMaxAge?: string;
}

/** A queue of a service's topology and the contracts its handlers take from it. */
export interface HandledQueue {
  queue: QueueDefinition;
  contracts: (MessageContract | RpcContract)[];
}

export interface ServiceTopologyView {
  service: ServiceDefinition;
  handled: HandledQueue[];
  /** What the service declares at start, retry and dead-letter queues included. */
  queues: DeclaredQueue[];
  bindings: DeclaredBinding[];
}

export interface DeclaredTopology {
  exchanges: DeclaredExchange[];
  services: ServiceTopologyView[];
  /** What every service declares beside its own queues: the event log and its binding. */
  shared?: { queues: DeclaredQueue[]; bindings: DeclaredBinding[] };
}

/**
 * What the services declare on the broker: their queues with the handlers' contracts, run
 * through the services' own declaration code on a recording channel.
 */
export async function declaredTopology(
  services: readonly ServiceDefinition[],
  settings: TopologySettings,
): Promise<DeclaredTopology> {
  const exchangeChannel = new RecordingChannel();
  await declareExchanges(exchangeChannel.asChannel());
  const views: ServiceTopologyView[] = [];
  for (const service of services) views.push(await serviceView(service, settings));
  const shared = new RecordingChannel();
  await declareEventLog(shared.asChannel(), settings.eventLogMaxAge ?? DEFAULT_EVENT_LOG_MAX_AGE, {
    quorumInitialGroupSize: settings.quorumInitialGroupSize,
  });
  return {
    exchanges: exchangeChannel.exchanges,
    services: views,
    shared: { queues: shared.queues, bindings: shared.bindings },
  };
}

async function serviceView(
  service: ServiceDefinition,
  settings: TopologySettings,
): Promise<ServiceTopologyView> {
  const handled = handledQueues(service);
  const channel = new RecordingChannel();
  const declaration = {
    quorumInitialGroupSize: settings.quorumInitialGroupSize,
    maxLength: settings.queueMaxLength,
  };
  for (const { queue, contracts } of handled) {
    if (queue.kind === 'rpc') {
      await declareRpcQueue(channel.asChannel(), queue, declaration);
      continue;
    }
    const types = contracts.flatMap((contract) => ('type' in contract ? [contract.type] : []));
    const delays = queue.retryDelaysMs ?? settings.retryDelaysMs;
    await declareConsumerQueue(channel.asChannel(), queue, delays, declaration, types);
  }
  return { service, handled, queues: channel.queues, bindings: channel.bindings };
}

/** Each queue of the service with its handlers' contracts; a handler elsewhere is an error. */
function handledQueues(service: ServiceDefinition): HandledQueue[] {
  const queues = Object.values(service.topology.queues);
  const routes = messageRoutesOfService(service);
  for (const route of routes) {
    if (!queues.some((queue) => queue.name === route.queue?.name)) {
      throw new Error(
        `${route.handler} consumes ${route.queue?.name ?? 'no queue'}, which the ${service.name} definition does not declare`,
      );
    }
  }
  return queues.map((queue) => ({
    queue,
    contracts: routes
      .filter((route) => route.queue?.name === queue.name)
      .map((route) => contractOfPattern(route.pattern).contract),
  }));
}
