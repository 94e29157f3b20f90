import { logUnderCorrelationId } from '@app/correlation';
import { settlesWithin } from '@app/platform';
import type { MessagingMetrics } from '@app/telemetry';
import type { Logger } from '@nestjs/common';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import { ResilientChannel } from '../channels/resilient-channel';
import { errorMessage } from '../errors';
import { declareExchanges } from '../topology/declare-topology';
import { messageIdProblem } from './envelope-validator';
import { REJECT_DEAD_LETTERS, type RejectFate } from './failure-router';
import { sentCorrelationId } from './incoming-message';
import type { Settlement } from './settlement';

export interface QueueConsumerOptions {
  queue: string;
  prefetch: number;
  /** Declares the queue and what it needs; runs again on every reconnect. */
  declare: (channel: Channel) => Promise<void>;
  process: (message: ConsumeMessage) => Promise<Settlement>;
  logger: Logger;
  /** Counts a message rejected because its processor failed, as the processors count theirs. */
  metrics: Pick<MessagingMetrics, 'messageSettled'>;
  /** What a rejected message of this queue becomes (see FailureRouterOptions). */
  onReject?: RejectFate;
}

const REATTACH_DELAY_MS = 1_000;
/** Re-attach attempts back off to this: a queue on a node that is down waits for the node. */
const MAX_REATTACH_DELAY_MS = 30_000;

interface ActiveConsumer {
  channel: Channel;
  consumerTag: string;
}

/**
 * Consumes one queue on a channel of its own, so its prefetch is its own. The channel re-runs
 * the setup after a reconnect or a channel error; each delivery is settled on the channel it
 * came from.
 */
export class QueueConsumer {
  private channel?: ResilientChannel;
  private active?: ActiveConsumer;
  private stopping = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly watched = new WeakSet<Channel>();

  constructor(private readonly options: QueueConsumerOptions) {}

  get queue(): string {
    return this.options.queue;
  }

  /** True while the broker has a live consumer of ours on the queue. */
  get isConsuming(): boolean {
    return this.active !== undefined;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  start(connection: AmqpConnectionManager): void {
    this.channel = new ResilientChannel(connection, {
      name: `consumer:${this.options.queue}`,
      confirm: false,
      setup: (channel) => this.attach(channel),
      logger: this.options.logger,
    });
    this.channel.open();
  }

  /** Stops taking new messages, waits up to `timeoutMs` for those in flight, then closes. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    const active = this.active;
    this.active = undefined;
    if (active) await active.channel.cancel(active.consumerTag).catch(() => undefined);
    if (this.inFlight.size > 0) {
      this.options.logger.log(
        `Waiting for ${this.inFlight.size} message(s) in flight on ${this.options.queue}`,
      );
      await settlesWithin(Promise.allSettled([...this.inFlight]), timeoutMs);
    }
    await this.channel?.close();
  }

  private async attach(channel: Channel): Promise<void> {
    if (this.stopping) return;
    await declareExchanges(channel);
    await this.options.declare(channel);
    await channel.prefetch(this.options.prefetch);
    const { consumerTag } = await channel.consume(
      this.options.queue,
      (message) => this.onDelivery(channel, message),
      { noAck: false },
    );
    this.active = { channel, consumerTag };
    // Once per channel: a re-attach after a cancel consumes again on the same one.
    if (!this.watched.has(channel)) {
      this.watched.add(channel);
      channel.once('close', () => {
        if (this.active?.channel === channel) this.active = undefined;
      });
    }
    this.options.logger.log(`Consuming ${this.options.queue} (prefetch ${this.options.prefetch})`);
  }

  private onDelivery(channel: Channel, message: ConsumeMessage | null): void {
    if (message === null) {
      this.onCancelledByBroker(channel);
      return;
    }
    const work = this.options
      .process(message)
      .catch((error: unknown): Settlement => {
        // Processors settle every message themselves; this is the net under a bug in one.
        const fate = this.options.onReject ?? REJECT_DEAD_LETTERS;
        logUnderCorrelationId(sentCorrelationId(message), () =>
          this.options.logger.error(
            `Unexpected failure on ${this.options.queue} with ${named(message)}: ` +
              `${errorMessage(error)}; ${fate.says}`,
          ),
        );
        const type = String(message.properties.type ?? message.fields.routingKey);
        this.options.metrics.messageSettled(this.options.queue, type, fate.outcome);
        return 'reject';
      })
      .then((settlement) => this.settle(channel, message, settlement))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private settle(channel: Channel, message: ConsumeMessage, settlement: Settlement): void {
    try {
      if (settlement === 'ack') channel.ack(message);
      // basic.reject, not basic.nack, for a failed delivery: RabbitMQ 4.3 counts only the former
      // toward a quorum queue's delivery limit, and a requeue it does not count can loop forever.
      else if (settlement === 'release') channel.nack(message, false, true);
      else channel.reject(message, settlement === 'requeue');
    } catch (error) {
      // The channel closed while the handler ran; the broker redelivers the message.
      logUnderCorrelationId(sentCorrelationId(message), () =>
        this.options.logger.warn(
          `Could not ${settlement} ${named(message)} on ${this.options.queue}: ` +
            errorMessage(error),
        ),
      );
    }
  }

  /**
   * The broker cancels a consumer when its queue is deleted or, in a cluster, when the node
   * holding it goes down, while this channel stays open. Wait a moment, declare the queue again
   * and resume, trying again with backoff while that fails (a classic queue's node is still
   * down: its declare answers 404); meanwhile readiness reports it detached. Once the channel
   * closes, its reopening attaches instead.
   */
  private onCancelledByBroker(channel: Channel): void {
    this.active = undefined;
    if (this.stopping) return;
    this.options.logger.warn(
      `The broker cancelled the consumer of ${this.options.queue}; re-attaching in ${REATTACH_DELAY_MS} ms`,
    );
    let closed = false;
    const onClose = () => (closed = true);
    channel.once('close', onClose);
    const reattach = (delayMs: number) =>
      setTimeout(() => {
        if (this.stopping || this.active || closed) return void channel.off('close', onClose);
        this.attach(channel).then(
          () => channel.off('close', onClose),
          (error: unknown) => {
            const next = Math.min(delayMs * 2, MAX_REATTACH_DELAY_MS);
            this.options.logger.error(
              `Could not re-attach to ${this.options.queue}: ${errorMessage(error)}; trying again in ${next} ms`,
            );
            reattach(next);
          },
        );
      }, delayMs).unref();
    reattach(REATTACH_DELAY_MS);
  }
}

/**
 * A message, for the lines logged outside its handling (under its correlation id): by the
 * sender's id, when it is one the inbox would take, so the line can be found beside the others.
 */
function named(message: ConsumeMessage): string {
  const id: unknown = message.properties.messageId;
  const usable = typeof id === 'string' && messageIdProblem(id) === undefined;
  return usable ? `message ${id}` : 'a message without a usable id';
}
