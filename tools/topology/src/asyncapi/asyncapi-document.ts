import { EVENTS_EXCHANGE, RPC_EXCHANGE, type RpcContract } from '@app/contracts';
import type { DeclaredTopology, ServiceTopologyView } from '../declared/declared-topology';
import { AMQP_BINDING, ChannelCatalog } from './channel-catalog';
import { type Contract, isRpc, messageName } from './message-schemas';
import { describeQueue, queueRoles } from './queue-roles';

export type AsyncApiDocument = Record<string, unknown>;

/** Events and jobs are persistent, published with `mandatory` and confirmed (the outbox relay). */
const PUBLISH_BINDING = {
  amqp: { deliveryMode: 2, mandatory: true, timestamp: true, bindingVersion: AMQP_BINDING },
};
const CONSUME_BINDING = { amqp: { ack: true, bindingVersion: AMQP_BINDING } };

export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
}

/**
 * The AsyncAPI 3.0 document of the system: the exchanges' routing keys and every declared queue
 * as channels, each service's sends and receives as operations, the RPC with its reply, and the
 * contracts' payloads as JSON Schema.
 */
export function asyncApiDocument(topology: DeclaredTopology, info: DocumentInfo): AsyncApiDocument {
  const catalog = new ChannelCatalog(topology.exchanges);
  const operations: Record<string, unknown> = {};
  for (const view of topology.services) {
    Object.assign(operations, sends(view, catalog), receives(view, catalog));
  }
  return {
    asyncapi: '3.0.0',
    info,
    defaultContentType: 'application/json',
    servers: {
      rabbitmq: {
        host: 'localhost:5672',
        protocol: 'amqp',
        protocolVersion: '0.9.1',
        description:
          'RabbitMQ (RABBITMQ_URL); every entity is durable, in the virtual host of the URL.',
      },
    },
    channels: catalog.channels,
    operations,
    components: catalog.components(),
  };
}

function sends(view: ServiceTopologyView, catalog: ChannelCatalog): Record<string, unknown> {
  const name = view.service.name;
  const { events = [], requests = [], jobs = [] } = view.service.publishes;
  const operations: Record<string, unknown> = {};
  for (const event of events) {
    const channel = catalog.routingKey(EVENTS_EXCHANGE, event.type, [event]);
    operations[`${name}.send.${event.type}`] = send(
      name,
      channel,
      [event],
      'Publishes',
      'through its outbox',
    );
  }
  for (const job of jobs) {
    const channel = catalog.queueChannel(job.queue);
    operations[`${name}.send.${job.contract.type}`] = send(
      name,
      channel,
      [job.contract],
      'Sends',
      `straight to ${job.queue}`,
    );
  }
  for (const request of requests) {
    operations[`${name}.request.${request.routingKey}`] = rpcRequest(name, request, catalog);
  }
  return operations;
}

function send(
  service: string,
  channel: string,
  contracts: Contract[],
  verb: string,
  how: string,
): Record<string, unknown> {
  return {
    action: 'send',
    channel: { $ref: `#/channels/${channel}` },
    summary: `${verb} ${contracts.map((c) => messageName(c)).join(', ')} ${how} (appId ${service}).`,
    messages: contracts.map((c) => ({ $ref: `#/channels/${channel}/messages/${messageName(c)}` })),
    bindings: PUBLISH_BINDING,
  };
}

function rpcRequest(service: string, request: RpcContract, catalog: ChannelCatalog) {
  const channel = catalog.routingKey(RPC_EXCHANGE, request.routingKey, [request]);
  return {
    action: 'send',
    channel: { $ref: `#/channels/${channel}` },
    summary: `Asks ${request.routingKey}; the request expires, and the caller stops waiting, after RPC_TIMEOUT_MS (appId ${service}).`,
    messages: [{ $ref: `#/channels/${channel}/messages/${messageName(request)}` }],
    reply: reply(request, catalog),
    bindings: PUBLISH_BINDING,
  };
}

function reply(request: RpcContract, catalog: ChannelCatalog) {
  const channel = catalog.replyChannel(request);
  return {
    channel: { $ref: `#/channels/${channel}` },
    messages: Object.keys(catalog.messagesOf(channel)).map((message) => ({
      $ref: `#/channels/${channel}/messages/${message}`,
    })),
  };
}

function receives(view: ServiceTopologyView, catalog: ChannelCatalog): Record<string, unknown> {
  const operations: Record<string, unknown> = {};
  for (const role of queueRoles(view)) {
    const contracts = role.owner.contracts;
    const channel = catalog.queueChannel(role.declared.name, contracts, role.declared, {
      description: describeQueue(role, view.service.name),
      boundTo:
        role.role === 'consumer' || role.role === 'rpc'
          ? catalog.bindingsOf(view, role.declared.name)
          : [],
    });
    const operation = `${view.service.name}.${role.role === 'consumer' || role.role === 'rpc' ? 'receive' : role.role}.${role.declared.name}`;
    if (role.role === 'retry' || role.role === 'dead-letter') {
      operations[operation] = failureCopy(view.service.name, role.role, channel, contracts);
      continue;
    }
    const rpc = contracts.find(isRpc);
    operations[operation] = {
      action: 'receive',
      channel: { $ref: `#/channels/${channel}` },
      summary: `${view.service.name} handles ${contracts.map((c) => messageName(c)).join(', ')} from ${role.declared.name}.`,
      messages: contracts.map((c) => ({
        $ref: `#/channels/${channel}/messages/${messageName(c)}`,
      })),
      ...(rpc ? { reply: reply(rpc, catalog) } : {}),
      bindings: CONSUME_BINDING,
    };
  }
  return operations;
}

/** The consumer sends a failed message's copy to a retry queue or to the dead-letter queue. */
function failureCopy(
  service: string,
  role: 'retry' | 'dead-letter',
  channel: string,
  contracts: Contract[],
): Record<string, unknown> {
  return {
    action: 'send',
    channel: { $ref: `#/channels/${channel}` },
    summary:
      role === 'retry'
        ? `${service} sends a copy of a message that failed for now here, to be retried after the delay.`
        : `${service} sends a copy of a message that cannot succeed, or ran out of retries, here.`,
    messages: contracts.map((c) => ({ $ref: `#/channels/${channel}/messages/${messageName(c)}` })),
    bindings: PUBLISH_BINDING,
  };
}
