import type { Logger } from '@nestjs/common';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConfirmChannel } from 'amqplib';
import { errorMessage } from '../errors';
import { keepConfirmsAligned } from './confirm-alignment';

export interface ResilientChannelOptions {
  name: string;
  confirm: boolean;
  /** Runs on every new underlying channel: declare, attach listeners, start consuming. */
  setup: (channel: Channel) => Promise<void>;
  /** Called each time a new channel's setup has finished: what is published now goes out. */
  ready?: () => void;
  logger: Logger;
}

const FIRST_REOPEN_DELAY_MS = 1_000;
const MAX_REOPEN_DELAY_MS = 30_000;

/**
 * A managed channel that also survives channel-level errors. amqp-connection-manager opens a new
 * channel only after the *connection* comes back; a channel the broker closed on its own (a
 * consumer past its ack timeout, a publish to a deleted exchange) would stay dead. Here such a
 * close opens a fresh wrapper, with a growing pause so a setup that keeps failing cannot spin.
 */
export class ResilientChannel {
  private wrapper?: ChannelWrapper;
  private live?: Channel;
  /** The live channel's setup has finished: a publish now goes out at once, not queued. */
  private setUpDone = false;
  private closed = false;
  private reopenTimer?: NodeJS.Timeout;
  private reopenDelayMs = FIRST_REOPEN_DELAY_MS;

  constructor(
    private readonly connection: AmqpConnectionManager,
    private readonly options: ResilientChannelOptions,
  ) {}

  /** A channel is open and set up: what is published now is sent, not queued in the wrapper. */
  get isReady(): boolean {
    return this.live !== undefined && this.setUpDone;
  }

  /** The wrapper to publish on; it queues while no channel is open. */
  get current(): ChannelWrapper {
    if (!this.wrapper) throw new Error(`Channel ${this.options.name} is not open`);
    return this.wrapper;
  }

  open(): void {
    const wrapper = this.connection.createChannel({
      name: this.options.name,
      confirm: this.options.confirm,
      setup: (channel: Channel) => this.setUp(channel),
    });
    wrapper.on('error', (error: Error) => {
      this.options.logger.error(`Channel ${this.options.name} failed: ${error.message}`);
      // A failed setup (a queue whose node is down answers 404) leaves the wrapper without a
      // channel until the connection itself drops: try again on a fresh one.
      this.scheduleReopen();
    });
    this.wrapper = wrapper;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reopenTimer);
    await this.wrapper?.close();
  }

  private async setUp(channel: Channel): Promise<void> {
    this.live = channel;
    this.setUpDone = false;
    if (this.options.confirm) keepConfirmsAligned(channel as ConfirmChannel);
    // A channel the broker closes with an error (its queue's node went down, say) emits
    // 'error' before 'close'; unheard, that error would end the process.
    channel.on('error', (error: Error) =>
      this.options.logger.warn(`Channel ${this.options.name} closed: ${error.message}`),
    );
    channel.once('close', () => this.onChannelClosed(channel));
    try {
      await this.options.setup(channel);
    } catch (error) {
      if (this.live === channel) this.live = undefined;
      throw error;
    }
    this.reopenDelayMs = FIRST_REOPEN_DELAY_MS;
    if (this.live !== channel) return;
    this.setUpDone = true;
    this.options.ready?.();
  }

  private onChannelClosed(channel: Channel): void {
    if (this.live === channel) this.live = undefined;
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if (this.closed || this.reopenTimer) return;
    // A lost connection closes its channels too; give the wrapper a moment to reconnect itself.
    this.reopenTimer = setTimeout(() => this.reopenIfStillClosed(), this.reopenDelayMs).unref();
    this.reopenDelayMs = Math.min(this.reopenDelayMs * 2, MAX_REOPEN_DELAY_MS);
  }

  private reopenIfStillClosed(): void {
    this.reopenTimer = undefined;
    if (this.closed || this.live || !this.connection.isConnected()) return;
    this.options.logger.warn(`The broker closed channel ${this.options.name}; opening a new one`);
    const stale = this.wrapper;
    this.open();
    stale
      ?.close()
      .catch((error: unknown) =>
        this.options.logger.warn(
          `Closing the old ${this.options.name} channel: ${errorMessage(error)}`,
        ),
      );
  }
}
