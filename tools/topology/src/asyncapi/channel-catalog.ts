import type { RpcContract } from '@app/contracts';
import { CORRELATION_ID_HEADER } from '@app/correlation';
import type { ZodType } from 'zod';
import type { ServiceTopologyView } from '../declared/declared-topology';
import type {
  DeclaredBinding,
  DeclaredExchange,
  DeclaredQueue,
} from '../declared/recording-channel';
import {
  type Contract,
  isRpc,
  type JsonSchema,
  messageHeadersSchema,
  messageName,
  payloadSchema,
  RPC_ERROR_MESSAGE,
  rpcErrorSchema,
} from './message-schemas';

/** The version of AsyncAPI's AMQP bindings every binding here follows. */
export const AMQP_BINDING = '0.3.0';
const VHOST = '/';
/** Where RPC replies go: RabbitMQ's direct reply-to pseudo-queue of the caller's channel. */
const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';
const HEADERS = 'MessageHeaders';

interface Channel {
  address: string;
  description?: string;
  messages: Record<string, { $ref: string }>;
  bindings: { amqp: Record<string, unknown> };
}

/** The channels of the document and the messages they carry, each defined once. */
export class ChannelCatalog {
  readonly channels: Record<string, Channel> = {};
  private readonly messages: Record<string, JsonSchema> = {};

  constructor(private readonly exchanges: readonly DeclaredExchange[]) {}

  /** A routing key of an exchange: where a publisher sends. */
  routingKey(exchange: string, routingKey: string, contracts: Contract[]): string {
    const declared = this.exchanges.find((candidate) => candidate.name === exchange);
    const id = `${exchange}.${routingKey}`;
    this.channels[id] ??= {
      address: routingKey,
      description: `Routing key ${routingKey} on the ${declared?.type ?? ''} exchange ${exchange}.`,
      messages: {},
      bindings: {
        amqp: {
          is: 'routingKey',
          exchange: {
            name: exchange,
            type: declared?.type,
            durable: declared?.durable ?? true,
            autoDelete: false,
            vhost: VHOST,
          },
          bindingVersion: AMQP_BINDING,
        },
      },
    };
    this.addMessages(id, contracts);
    return id;
  }

  /** A queue: where a consumer receives, or a job's sender sends through the default exchange. */
  queueChannel(
    queue: string,
    contracts: Contract[] = [],
    declared?: DeclaredQueue,
    about: { description?: string; boundTo?: DeclaredBinding[] } = {},
  ): string {
    const id = `queue.${queue}`;
    const channel = (this.channels[id] ??= {
      address: queue,
      description: about.description,
      messages: {},
      bindings: { amqp: queueBinding(queue, declared?.durable ?? true, false) },
    });
    if (about.description) channel.description = about.description;
    if (declared) channel.bindings.amqp['x-arguments'] = declared.arguments;
    if (about.boundTo?.length) {
      channel.bindings.amqp['x-bound-to'] = about.boundTo.map(({ exchange, routingKey }) => ({
        exchange,
        routingKey,
      }));
    }
    this.addMessages(id, contracts);
    return id;
  }

  /** The caller's direct reply-to queue, carrying the reply or the responder's error. */
  replyChannel(request: RpcContract): string {
    const id = `rpc.${request.routingKey}.reply`;
    this.channels[id] ??= {
      address: DIRECT_REPLY_TO,
      description: `Replies to ${request.routingKey}, matched to their request by the AMQP correlationId.`,
      messages: {},
      bindings: { amqp: queueBinding(DIRECT_REPLY_TO, false, true) },
    };
    this.define(
      messageName(request, 'reply'),
      `The reply to ${request.routingKey}.`,
      request.reply,
    );
    this.define(RPC_ERROR_MESSAGE, 'What a responder answers instead of a reply when it cannot.');
    this.channels[id].messages[messageName(request, 'reply')] = ref(messageName(request, 'reply'));
    this.channels[id].messages[RPC_ERROR_MESSAGE] = ref(RPC_ERROR_MESSAGE);
    return id;
  }

  messagesOf(channel: string): Record<string, { $ref: string }> {
    return this.channels[channel].messages;
  }

  /** The bindings a service's declaration makes for one of its queues. */
  bindingsOf(view: ServiceTopologyView, queue: string): DeclaredBinding[] {
    return view.bindings.filter((binding) => binding.queue === queue);
  }

  components(): Record<string, unknown> {
    return { schemas: { [HEADERS]: messageHeadersSchema() }, messages: sorted(this.messages) };
  }

  private addMessages(channel: string, contracts: Contract[]): void {
    for (const contract of contracts) {
      const name = messageName(contract);
      if (isRpc(contract)) {
        this.define(
          name,
          `A ${contract.routingKey} request.`,
          contract.request,
          contract.routingKey,
        );
      } else {
        this.define(name, `The ${contract.type} message.`, contract.schema, contract.type);
      }
      this.channels[channel].messages[name] = ref(name);
    }
  }

  /** A message, once; without a schema, the responder's error reply. */
  private define(name: string, summary: string, schema?: ZodType, type?: string): void {
    this.messages[name] ??= {
      name,
      title: name,
      summary,
      contentType: 'application/json',
      correlationId: { location: `$message.header#/${CORRELATION_ID_HEADER}` },
      headers: { $ref: `#/components/schemas/${HEADERS}` },
      payload: schema ? payloadSchema(schema) : rpcErrorSchema(),
      bindings: {
        amqp: type
          ? { messageType: type, bindingVersion: AMQP_BINDING }
          : { bindingVersion: AMQP_BINDING },
      },
    };
  }
}

const ref = (message: string) => ({ $ref: `#/components/messages/${message}` });

function queueBinding(name: string, durable: boolean, exclusive: boolean): Record<string, unknown> {
  return {
    is: 'queue',
    queue: { name, durable, exclusive, autoDelete: false, vhost: VHOST },
    bindingVersion: AMQP_BINDING,
  };
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
