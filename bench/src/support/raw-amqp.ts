import { connect, type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import { randomUUID } from 'node:crypto';

/**
 * A plain amqplib connection for the raw baselines, set up as the starter's is: TCP no-delay
 * (with Nagle on, every sequential round trip waits ~40 ms for a delayed ACK).
 */
export function connectRaw(url: string, name: string): Promise<ChannelModel> {
  return connect(url, { noDelay: true, clientProperties: { connection_name: name } });
}

/** Publishes one message on a confirm channel; resolves on the broker's ack. */
export function publishConfirmed(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  content: Buffer,
  options: Options.Publish,
): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.publish(exchange, routingKey, content, options, (error: unknown) =>
      error ? reject(error instanceof Error ? error : new Error('publish nacked')) : resolve(),
    );
  });
}

/** The envelope every message of the bench carries, raw or not (DESIGN §3). */
export function envelope(type: string, extra: Options.Publish = {}): Options.Publish {
  return {
    messageId: randomUUID(),
    type,
    timestamp: Math.floor(Date.now() / 1000),
    contentType: 'application/json',
    appId: 'bench',
    persistent: true,
    headers: { 'x-correlation-id': 'bench', 'x-causation-id': 'bench' },
    ...extra,
  };
}

/**
 * Publishes `count` persistent messages made by `body`, waiting for the broker's confirms
 * after every `confirmEvery`: a batch publish, as fast as a confirm channel goes.
 */
export async function publishBatch(
  channel: ConfirmChannel,
  target: { exchange: string; routingKey: string; type: string },
  count: number,
  confirmEvery: number,
  body: (index: number) => unknown,
): Promise<void> {
  for (let start = 0; start < count; start += confirmEvery) {
    const end = Math.min(count, start + confirmEvery);
    for (let index = start; index < end; index++) {
      const content = Buffer.from(JSON.stringify(body(index)));
      channel.publish(target.exchange, target.routingKey, content, {
        ...envelope(target.type),
        mandatory: true,
      });
    }
    await channel.waitForConfirms();
  }
}
