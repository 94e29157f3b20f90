import { connectFirstNode, tellWhenBlocked } from '@app/messaging';
import type { ChannelModel } from 'amqplib';
import { DlqError, oneLine } from '../dlq.errors';
import { FetchedMessages } from './fetched.messages';

function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 404;
}

/** One connection to the broker, and the few operations the commands need on it. */
export class DlqBrowser {
  private constructor(
    private readonly connection: ChannelModel,
    readonly address: string,
  ) {
    connection.on('error', () => undefined);
  }

  /**
   * Connects to the first node of `urls` (one URL, or a cluster's comma-separated list) that
   * answers; `tell` hears when the broker blocks the connection's publishes (an alarm).
   */
  static async connect(
    urls: string,
    tell: (text: string) => void = () => undefined,
  ): Promise<DlqBrowser> {
    try {
      const { connection, address } = await connectFirstNode(urls);
      tellWhenBlocked(connection, tell, 'the messages not replayed stay where they were');
      return new DlqBrowser(connection, address);
    } catch (error) {
      throw new DlqError(oneLine(error));
    }
  }

  /**
   * Ready messages in the queue, or undefined when it does not exist. A passive declare of a
   * missing queue makes the broker close the channel, so each check gets a channel of its own.
   */
  async messageCount(queue: string): Promise<number | undefined> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      const { messageCount } = await channel.checkQueue(queue);
      await channel.close();
      return messageCount;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      await channel.close().catch(() => undefined);
      throw error;
    }
  }

  /** Lends up to `max` messages of the queue to `work`, and puts back those it leaves. */
  async withMessages<T>(
    queue: string,
    max: number,
    work: (fetched: FetchedMessages) => Promise<T>,
  ): Promise<T> {
    const fetched = await FetchedMessages.take(this.connection, queue, max);
    try {
      return await work(fetched);
    } finally {
      await fetched.release();
    }
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
