// Shared by declare-topology.spec.ts and the declare-topology.*.spec.ts files.
import type { Channel, Options } from 'amqplib';
import { declareConsumerQueue } from './declare-topology';
import { consumerQueue } from './topology';

type Call =
  | { op: 'exchange'; name: string; type: string; options?: Options.AssertExchange }
  | { op: 'queue'; name: string; options?: Options.AssertQueue }
  | { op: 'bind'; queue: string; exchange: string; routingKey: string };

/** A channel that answers every assert and bind, and records what was asked of it. */
export class RecordingChannel {
  readonly calls: Call[] = [];
  assertExchange(name: string, type: string, options?: Options.AssertExchange) {
    this.calls.push({ op: 'exchange', name, type, options });
    return Promise.resolve({ exchange: name });
  }
  assertQueue(name: string, options?: Options.AssertQueue) {
    this.calls.push({ op: 'queue', name, options });
    return Promise.resolve({ queue: name, messageCount: 0, consumerCount: 0 });
  }
  bindQueue(queue: string, exchange: string, routingKey: string) {
    this.calls.push({ op: 'bind', queue, exchange, routingKey });
    return Promise.resolve({});
  }
  queue(name: string): Options.AssertQueue | undefined {
    const call = this.calls.find((c) => c.op === 'queue' && c.name === name);
    return call?.op === 'queue' ? call.options : undefined;
  }
  queueNames(): string[] {
    return this.calls.flatMap((c) => (c.op === 'queue' ? [c.name] : []));
  }
  bindings(): Call[] {
    return this.calls.filter((c) => c.op === 'bind');
  }
  asChannel(): Channel {
    return this as unknown as Channel;
  }
}

export const payments = consumerQueue({
  name: 'order.payment-results',
  exchange: 'events',
  prefetch: 10,
});

/** A channel on which payments was declared with these retry delays, bound to two types. */
export async function declared(delays: number[] = [1000, 5000, 25000]) {
  const channel = new RecordingChannel();
  await declareConsumerQueue(channel.asChannel(), payments, delays, {}, [
    'payment.succeeded',
    'payment.failed',
  ]);
  return channel;
}
