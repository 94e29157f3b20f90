import {
  connect,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  type GetMessage,
  type Options,
} from 'amqplib';
import { waitFor } from './wait-for';

/**
 * A plain amqplib client standing in for "another client" in tests: publishes raw messages and
 * reads queues (dead-letter queues above all) without going through the code under test.
 */
export class AmqpTestClient {
  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
  ) {}

  static async connect(url: string): Promise<AmqpTestClient> {
    const connection = await connect(url);
    const channel = await connection.createConfirmChannel();
    return new AmqpTestClient(connection, channel);
  }

  async publish(
    exchange: string,
    routingKey: string,
    body: unknown,
    properties: Options.Publish = {},
  ): Promise<void> {
    const content = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    this.channel.publish(exchange, routingKey, content, { persistent: true, ...properties });
    await this.channel.waitForConfirms();
  }

  /** Declares a queue of the test's own, bound to `exchange` for each routing key. */
  async bindObserver(
    queue: string,
    exchange: string,
    routingKeys: string[],
    options: Options.AssertQueue = { durable: true },
  ): Promise<void> {
    await this.channel.assertQueue(queue, options);
    for (const routingKey of routingKeys) await this.bind(queue, exchange, routingKey);
  }

  /** Declares a queue the broker names (amq.gen-…), as an RPC caller owns its reply queue. */
  async replyQueue(): Promise<string> {
    const { queue } = await this.channel.assertQueue('', { exclusive: true });
    return queue;
  }

  async bind(queue: string, exchange: string, routingKey: string): Promise<void> {
    await this.channel.bindQueue(queue, exchange, routingKey);
  }

  async unbind(queue: string, exchange: string, routingKey: string): Promise<void> {
    await this.channel.unbindQueue(queue, exchange, routingKey);
  }

  async deleteQueue(queue: string): Promise<void> {
    await this.channel.deleteQueue(queue);
  }

  async messageCount(queue: string): Promise<number> {
    const { messageCount } = await this.channel.checkQueue(queue);
    return messageCount;
  }

  /** Takes (and acks) every message now in `queue`. */
  async drain(queue: string): Promise<GetMessage[]> {
    const messages: GetMessage[] = [];
    for (;;) {
      const message = await this.channel.get(queue, { noAck: true });
      if (message === false) return messages;
      messages.push(message);
    }
  }

  /** Waits until `queue` has yielded `count` messages in total, and returns them. */
  async take(queue: string, count: number, timeoutMs = 10_000): Promise<GetMessage[]> {
    const taken: GetMessage[] = [];
    await waitFor(
      async () => {
        taken.push(...(await this.drain(queue)));
        return taken.length >= count;
      },
      { description: `${count} message(s) in ${queue}`, timeoutMs },
    );
    return taken;
  }

  /**
   * Waits for a message in `queue` and returns it; fails when more than one came, which `take`
   * would return together (a check of the queue's count afterwards only sees later ones).
   */
  async takeOne(queue: string, timeoutMs?: number): Promise<GetMessage> {
    const taken = await this.take(queue, 1, timeoutMs);
    if (taken.length !== 1) {
      throw new Error(`Expected one message in ${queue}, found ${taken.length}`);
    }
    return taken[0];
  }

  /**
   * Reads a stream (the event log) from its first message, until `enough` says the messages
   * read so far suffice; stream consumers need a prefetch and acknowledgements.
   */
  async readStream(
    queue: string,
    enough: (messages: ConsumeMessage[]) => boolean,
    timeoutMs = 10_000,
  ): Promise<ConsumeMessage[]> {
    const channel = await this.connection.createChannel();
    const read: ConsumeMessage[] = [];
    try {
      await channel.prefetch(100);
      await channel.consume(
        queue,
        (message) => {
          if (message === null) return;
          read.push(message);
          channel.ack(message);
        },
        { noAck: false, arguments: { 'x-stream-offset': 'first' } },
      );
      await waitFor(() => enough(read), {
        description: `enough messages from ${queue}`,
        timeoutMs,
      });
      return read;
    } finally {
      await channel.close();
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
