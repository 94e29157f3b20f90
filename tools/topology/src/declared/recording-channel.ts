import type { Channel, Options } from 'amqplib';

export interface DeclaredExchange {
  name: string;
  type: string;
  durable: boolean;
}

export interface DeclaredQueue {
  name: string;
  durable: boolean;
  arguments: Record<string, unknown>;
}

export interface DeclaredBinding {
  exchange: string;
  queue: string;
  routingKey: string;
}

/**
 * A channel that records what the services' own declaration code asserts and binds, instead of
 * sending it: the declared topology is read from the code that declares it, never restated.
 */
export class RecordingChannel {
  readonly exchanges: DeclaredExchange[] = [];
  readonly queues: DeclaredQueue[] = [];
  readonly bindings: DeclaredBinding[] = [];

  assertExchange(name: string, type: string, options: Options.AssertExchange = {}) {
    this.exchanges.push({ name, type, durable: options.durable ?? true });
    return Promise.resolve({ exchange: name });
  }

  assertQueue(name: string, options: Options.AssertQueue = {}) {
    this.queues.push({
      name,
      durable: options.durable ?? true,
      arguments: { ...(options.arguments as Record<string, unknown> | undefined) },
    });
    return Promise.resolve({ queue: name, messageCount: 0, consumerCount: 0 });
  }

  bindQueue(queue: string, exchange: string, routingKey: string) {
    this.bindings.push({ exchange, queue, routingKey });
    return Promise.resolve({});
  }

  asChannel(): Channel {
    return this as unknown as Channel;
  }
}
