import { checkPublishProperties, keepConfirmsAligned } from '@app/messaging';
import type { ChannelModel, ConfirmChannel, GetMessage, Options } from 'amqplib';

export type PublishOutcome = 'confirmed' | 'returned';

/**
 * Messages taken off a queue with basic.get and not yet acknowledged, on a confirm channel of
 * their own. Until `remove`, each still belongs to the queue: `release` (or the channel closing
 * for any reason) puts back every message not removed, in its place.
 */
export class FetchedMessages {
  private returned = false;

  private constructor(
    private readonly channel: ConfirmChannel,
    readonly queue: string,
    readonly messages: GetMessage[],
  ) {
    channel.on('return', () => {
      this.returned = true;
    });
  }

  /** Takes at most `max`: a queue refilled while we work (a replay failing again) must not loop. */
  static async take(
    connection: ChannelModel,
    queue: string,
    max: number,
  ): Promise<FetchedMessages> {
    const channel = keepConfirmsAligned(await connection.createConfirmChannel());
    channel.on('error', () => undefined);
    const messages: GetMessage[] = [];
    try {
      while (messages.length < max) {
        const message = await channel.get(queue, { noAck: false });
        if (message === false) break;
        messages.push(message);
      }
    } catch (error) {
      await channel.close().catch(() => undefined);
      throw error;
    }
    return new FetchedMessages(channel, queue, messages);
  }

  remove(message: GetMessage): void {
    this.channel.ack(message);
  }

  /**
   * Publishes mandatory and persistent, and waits for the broker's confirm. Publishes are one at
   * a time, so a basic.return seen before the confirm belongs to this message.
   */
  async publish(queue: string, content: Buffer, options: Options.Publish): Promise<PublishOutcome> {
    this.returned = false;
    const properties = { ...options, mandatory: true, persistent: true };
    checkPublishProperties('', queue, properties);
    await new Promise<void>((resolve, reject) => {
      // A nack: the queues are bounded with reject-publish, so a full queue is its usual cause
      // (amqplib's own error says only "message nacked").
      this.channel.publish('', queue, content, properties, (error) =>
        error ? reject(new Error(`the broker refused it (is ${queue} full?)`)) : resolve(),
      );
    });
    return this.returned ? 'returned' : 'confirmed';
  }

  /** Puts every message not removed back in the queue, then closes the channel. */
  async release(): Promise<void> {
    try {
      this.channel.nackAll(true);
      await this.channel.close();
    } catch {
      // The channel is already closed, and the broker has put the messages back itself.
    }
  }
}
