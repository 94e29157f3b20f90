import { brokerUrls } from '@app/platform';
import { connect, type ChannelModel } from 'amqplib';
import { DlqError, oneLine } from '../dlq.errors';
import { FetchedMessages } from './fetched.messages';

/** The broker address without its password, for messages. */
export function safeAddress(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable RABBITMQ_URL)';
  }
}

function connectionFailure(error: unknown): string {
  // A host with several addresses (localhost: ::1 and 127.0.0.1) fails with an empty AggregateError.
  if (error instanceof AggregateError && error.errors.length > 0) return oneLine(error.errors[0]);
  const text = oneLine(error);
  // amqplib drops the broker's reason when it refuses to open the virtual host.
  if (text.includes('got <ConnectionClose')) {
    return `the broker closed the connection (${text}); does the virtual host exist, and may this user use it?`;
  }
  return text || ((error as { code?: string }).code ?? 'unknown error');
}

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

  /** Connects to the first node of `urls` (one URL, or a cluster's comma-separated list) that answers. */
  static async connect(urls: string): Promise<DlqBrowser> {
    const failures: string[] = [];
    for (const url of brokerUrls(urls)) {
      try {
        return new DlqBrowser(await connect(url), safeAddress(url));
      } catch (error) {
        failures.push(`at ${safeAddress(url)}: ${connectionFailure(error)}`);
      }
    }
    throw new DlqError(`cannot connect to RabbitMQ ${failures.join('; ')}`);
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
