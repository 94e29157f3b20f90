import { checkPublishProperties, confirmFailure, keepConfirmsAligned } from '@app/messaging';
import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';

function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 404;
}

/**
 * The consuming queue events are replayed into: each copy goes through the default exchange
 * straight to it, mandatory and persistent, one at a time, and counts once the broker confirms.
 */
export class QueueTarget {
  private returned = false;

  private constructor(
    private readonly channel: ConfirmChannel,
    readonly queue: string,
  ) {
    channel.on('return', () => {
      this.returned = true;
    });
  }

  /** Fails unless `queue` exists: a typo must not look like success, in a dry run either. */
  static async mustExist(connection: ChannelModel, queue: string): Promise<void> {
    const probe = await connection.createChannel();
    probe.on('error', () => undefined);
    try {
      await probe.checkQueue(queue);
      await probe.close();
    } catch (error) {
      if (isNotFound(error)) {
        throw new Error(`queue ${queue} does not exist; nothing was replayed`, { cause: error });
      }
      throw error;
    }
  }

  /** Opens a confirm channel for `queue` (see `mustExist`). */
  static async open(connection: ChannelModel, queue: string): Promise<QueueTarget> {
    const channel = keepConfirmsAligned(await connection.createConfirmChannel());
    channel.on('error', () => undefined);
    return new QueueTarget(channel, queue);
  }

  async send(content: Buffer, options: Options.Publish): Promise<void> {
    this.returned = false;
    const properties = { ...options, mandatory: true, persistent: true };
    checkPublishProperties('', this.queue, properties);
    await new Promise<void>((resolve, reject) => {
      this.channel.publish('', this.queue, content, properties, (error) =>
        error ? reject(confirmFailure(error as Error, this.queue)) : resolve(),
      );
    });
    if (this.returned) throw new Error(`queue ${this.queue} no longer takes messages (deleted?)`);
  }

  async close(): Promise<void> {
    await this.channel.close().catch(() => undefined);
  }
}
