import { fetchFailure } from '@app/messaging';
import { brokerUrls } from '@app/platform';
import type { TopologyConfig } from '../topology.config';

/** A failure the user can act on; the program prints its message as one line. */
export class TopologyCheckError extends Error {
  override name = 'TopologyCheckError';
}

export interface LiveQueue {
  name: string;
  durable: boolean;
  exclusive: boolean;
  arguments: Record<string, unknown>;
}

export interface LiveBinding {
  source: string;
  destination: string;
  destination_type: 'queue' | 'exchange';
  routing_key: string;
}

export interface LiveExchange {
  name: string;
  type: string;
  durable: boolean;
}

export interface LiveTopology {
  vhost: string;
  exchanges: LiveExchange[];
  queues: LiveQueue[];
  bindings: LiveBinding[];
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The management API of the services' broker: RABBITMQ_MANAGEMENT_URL, or port 15672 on the host
 * of RABBITMQ_URL's first node, with its credentials; the virtual host is RABBITMQ_URL's.
 */
export class BrokerManagement {
  /** The URL without credentials, safe to print. */
  readonly location: string;
  readonly vhost: string;
  private readonly authorization: string;

  constructor(config: Pick<TopologyConfig, 'RABBITMQ_URL' | 'RABBITMQ_MANAGEMENT_URL'>) {
    const amqp = new URL(brokerUrls(config.RABBITMQ_URL)[0]);
    const management = new URL(config.RABBITMQ_MANAGEMENT_URL ?? `http://${amqp.hostname}:15672`);
    const user = decodeURIComponent(management.username || amqp.username || 'guest');
    const password = decodeURIComponent(management.password || amqp.password || 'guest');
    this.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    this.location = `${management.origin}${management.pathname.replace(/\/+$/, '')}`;
    this.vhost = decodeURIComponent(amqp.pathname.slice(1)) || '/';
  }

  /** The virtual host's exchanges, queues and bindings as the broker has them now. */
  async topology(): Promise<LiveTopology> {
    const vhost = encodeURIComponent(this.vhost);
    const [exchanges, queues, bindings] = await Promise.all([
      this.get<LiveExchange[]>(`exchanges/${vhost}?columns=name,type,durable`),
      this.get<LiveQueue[]>(`queues/${vhost}?columns=name,durable,exclusive,arguments`),
      this.get<LiveBinding[]>(`bindings/${vhost}`),
    ]);
    return { vhost: this.vhost, exchanges, queues, bindings };
  }

  private async get<T>(path: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.location}/api/${path}`, {
        headers: { authorization: this.authorization },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new TopologyCheckError(
        `The RabbitMQ management API at ${this.location} is unreachable (${fetchFailure(error)}): enable rabbitmq_management or set RABBITMQ_MANAGEMENT_URL`,
      );
    }
    if (response.status === 404) {
      throw new TopologyCheckError(`RabbitMQ has no virtual host "${this.vhost}"`);
    }
    if (!response.ok) {
      throw new TopologyCheckError(
        `RabbitMQ management GET /api/${path} answered ${response.status}${response.status === 401 ? ': check the credentials of RABBITMQ_MANAGEMENT_URL' : ''}`,
      );
    }
    return (await response.json()) as T;
  }
}
