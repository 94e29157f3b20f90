import { checkPublishProperties, confirmFailure, keepConfirmsAligned } from '@app/messaging';
import type { ChannelModel, ConfirmChannel, GetMessage, Options } from 'amqplib';
import { DlqError, oneLine } from '../dlq.errors';

export type PublishOutcome = 'confirmed' | 'returned';

/**
 * Messages taken off a queue with basic.get and not yet acknowledged, on a confirm channel of
 * their own. Until `remove`, each still belongs to the queue: `release` (or the channel closing
 * for any reason) puts back every message not removed, in its place.
 */
export class FetchedMessages {
  private returned = false;
  private removed = 0;

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
    this.removed += 1;
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
      this.channel.publish('', queue, content, properties, (error) =>
        error ? reject(confirmFailure(error as Error, queue)) : resolve(),
      );
    });
    return this.returned ? 'returned' : 'confirmed';
  }

  /**
   * Puts every message not removed back in the queue, then closes the channel. Acks are not
   * answered: the close, answered once the broker has handled every frame before it, is what
   * shows the removals took. A channel already closed has had its messages put back, perhaps
   * the removed ones too: the run cannot claim them.
   */
  async release(): Promise<void> {
    try {
      this.channel.nackAll(true);
      await this.channel.close();
    } catch (error) {
      if (this.removed === 0) return;
      throw new DlqError(
        `the channel to ${this.queue} closed before the broker confirmed the removal of ${this.removed} message(s) (${oneLine(error)}): some may still be there; look with list`,
      );
    }
  }
}
