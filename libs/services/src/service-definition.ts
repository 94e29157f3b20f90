import {
  EVENTS_EXCHANGE,
  type MessageContract,
  RPC_EXCHANGE,
  type RpcContract,
} from '@app/contracts';
import type { QueueDefinition, ServiceTopology } from '@app/messaging';
import { DEFAULT_POOL_SIZE } from '@app/platform';

/**
 * What a service sends. Events leave through its outbox on the events exchange, routed by their
 * type; RPC requests go to the rpc exchange, routed by their routing key; jobs go straight to a
 * work queue through the default exchange, routed by the queue's name.
 */
export interface Publications {
  readonly events?: readonly MessageContract[];
  readonly requests?: readonly RpcContract[];
  readonly jobs?: readonly { readonly contract: MessageContract; readonly queue: string }[];
}

/** One exchange a service publishes to, and the routing keys it uses there. */
export interface PublishedExchange {
  /** `''` is the default exchange. */
  readonly exchange: string;
  readonly routingKeys: readonly string[];
}

/**
 * Everything about a service that is not its code, as plain data: the service runs by it and
 * the tools, tests, deployment checks and the bench read it, so nothing about it is restated.
 */
export interface ServiceDefinition {
  /** Process, broker user, appId, OTEL service name, compose and Kubernetes name, `start:<name>`. */
  readonly name: string;
  /** The default HTTP port (PORT overrides it). */
  readonly port: number;
  /** The PostgreSQL schema the service owns and migrates, and its own tables in it by SQL name. */
  readonly database: {
    readonly schema: string;
    readonly tables: Readonly<Record<string, string>>;
  };
  /** Its queues (names, exchanges, prefetch); the app adds its failure policy, its handlers the bindings. */
  readonly topology: ServiceTopology;
  readonly publishes: Publications;
  /** The environment variable holding its broker password, for the broker-setup tool. */
  readonly broker: { readonly passwordVariable: string };
  /**
   * Services that must be up before this one starts, because their queues must exist before it
   * publishes what they consume (compose's depends_on, the test stack's and the bench's order).
   */
  readonly startsAfter?: readonly string[];
}

type DefinitionInput = Omit<ServiceDefinition, 'topology'> & {
  readonly queues: Readonly<Record<string, QueueDefinition>>;
};

/** A service definition: its queues become its topology, named after the service. */
export function defineService<const T extends DefinitionInput>(
  definition: T,
): Omit<T, 'queues'> & {
  readonly topology: { readonly service: T['name']; readonly queues: T['queues'] };
} {
  const { queues, ...rest } = definition;
  return { ...rest, topology: { service: definition.name, queues } };
}

/** Connections the consumers leave free: RPC reads, HTTP requests, the relay. */
export const POOL_HEADROOM = 5;

/**
 * The service's database pool. Each message in flight on a consumer queue holds a connection for
 * its transaction (an RPC request or an HTTP request holds one for a statement), so the pool is
 * DEFAULT_POOL_SIZE, or more when the consumers' prefetch counts would leave fewer than
 * POOL_HEADROOM connections for the rest: a queue added with its prefetch grows it.
 */
export function databasePoolSize(service: Pick<ServiceDefinition, 'topology'>): number {
  const inFlight = Object.values(service.topology.queues)
    .filter((queue) => queue.kind === 'consumer')
    .reduce((sum, queue) => sum + queue.prefetch, 0);
  return Math.max(DEFAULT_POOL_SIZE, inFlight + POOL_HEADROOM);
}

/** The exchanges a service publishes to, each with the routing keys it uses there. */
export function publishedExchanges(service: ServiceDefinition): PublishedExchange[] {
  const { events = [], requests = [], jobs = [] } = service.publishes;
  const exchanges: PublishedExchange[] = [
    { exchange: EVENTS_EXCHANGE, routingKeys: events.map((event) => event.type) },
    { exchange: RPC_EXCHANGE, routingKeys: requests.map((request) => request.routingKey) },
    // Several jobs may share one work queue.
    { exchange: '', routingKeys: [...new Set(jobs.map((job) => job.queue))] },
  ];
  return exchanges.filter((exchange) => exchange.routingKeys.length > 0);
}

/** The types of the messages a service publishes, its events and its jobs. */
export function publishedTypes(service: Pick<ServiceDefinition, 'publishes'>): string[] {
  const { events = [], jobs = [] } = service.publishes;
  return [...events.map((event) => event.type), ...jobs.map((job) => job.contract.type)];
}
