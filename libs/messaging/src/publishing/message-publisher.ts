import type { BaseConfig } from '@app/platform';
import { MessagingMetrics } from '@app/telemetry';
import { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Options as ManagedOptions } from 'amqp-connection-manager';
import type { Message, Options } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { ResilientChannel } from '../channels/resilient-channel';
import { isBrokerNack, PublishRefusedError, UnroutableMessageError } from '../errors';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from '../messaging.options';
import { declareEventLog, declareExchanges } from '../topology/declare-topology';
import { serviceDeclaration } from '../topology/service-declaration';
import { encodeJson, messageProperties, type OutgoingMessage } from './outgoing-message';
import { checkPublishProperties } from './publish-properties';

export interface PublishSettings {
  /**
   * Reject instead of waiting forever for a broker that is down. `null`: no timer per message,
   * for a caller that bounds a whole batch itself.
   */
  timeoutMs?: number | null;
}

const DEFAULT_PUBLISH_TIMEOUT_MS = 10_000;

/**
 * Publishes on its own confirm channel: every publish is persistent and `mandatory`, and
 * resolves only after the broker's confirm. A message no queue takes is returned by the broker
 * before its confirm, and the publish then fails with UnroutableMessageError. New messages
 * above MAX_MESSAGE_BYTES are refused before they reach the broker.
 */
@Injectable()
export class MessagePublisher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(MessagePublisher.name);
  /**
   * Returns not yet matched to their publish, counted by messageId: two copies of one message in
   * flight at once (one sent again after the first timed out) may both be returned.
   */
  private readonly returnedMessageIds = new Map<string, number>();
  private readonly whenReady: (() => void)[] = [];
  private readonly maxMessageBytes: number;
  private channel!: ResilientChannel;

  constructor(
    private readonly amqp: AmqpConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly config: ConfigService<BaseConfig, true>,
    private readonly metrics: MessagingMetrics,
  ) {
    this.maxMessageBytes = config.get('MAX_MESSAGE_BYTES', { infer: true });
  }

  onModuleInit(): void {
    this.metrics.reserveTypes(this.options.publishes);
    this.channel = new ResilientChannel(this.amqp.managedConnection, {
      name: `${this.options.service}.publisher`,
      confirm: true,
      setup: async (channel) => {
        channel.on('return', (message: Message) => this.onReturn(message));
        await declareExchanges(channel);
        // The log must exist before this service's first event, or that event is not in it.
        await declareEventLog(
          channel,
          this.config.get('EVENT_LOG_MAX_AGE', { infer: true }),
          serviceDeclaration(this.amqp, this.config, this.logger),
        );
      },
      ready: () => {
        for (const listener of this.whenReady) listener();
      },
      logger: this.logger,
    });
    this.channel.open();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.channel.close();
  }

  /**
   * Its channel is open and set up. Until then a publish waits in the channel's queue and goes
   * out from the reconnect, outside its caller's trace context: the stored one is lost.
   */
  get isReady(): boolean {
    return this.channel?.isReady ?? false;
  }

  /** Calls `listener` each time the channel is set up again (after a reconnect): `isReady` now. */
  onReady(listener: () => void): void {
    this.whenReady.push(listener);
  }

  async publish(message: OutgoingMessage, settings: PublishSettings = {}): Promise<void> {
    const content = encodeJson(message.payload, this.maxMessageBytes);
    const properties = messageProperties(message, this.options.service);
    await this.publishRaw(message.exchange, message.routingKey, content, properties, settings);
  }

  /**
   * Publishes bytes as they are, e.g. a consumed message copied to a retry or dead-letter queue.
   * No size check: the copy of an oversized message must still reach its dead-letter queue.
   */
  async publishRaw(
    exchange: string,
    routingKey: string,
    content: Buffer,
    properties: Options.Publish,
    settings: PublishSettings = {},
  ): Promise<void> {
    // Returns are matched by messageId; a copy of a message that had none gets one here.
    const messageId = properties.messageId ?? randomUUID();
    const options: ManagedOptions.Publish = {
      ...properties,
      messageId,
      persistent: true,
      mandatory: true,
      timeout:
        settings.timeoutMs === null
          ? undefined
          : (settings.timeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS),
    };
    const type = properties.type ?? routingKey;
    try {
      checkPublishProperties(exchange, routingKey, options);
      await this.channel.current.publish(exchange, routingKey, content, options);
    } catch (error) {
      this.takeReturn(messageId);
      const refused = isBrokerNack(error);
      this.metrics.messagePublished(exchange, type, refused ? 'refused' : 'failed');
      throw refused ? new PublishRefusedError(exchange, routingKey) : error;
    }
    if (this.takeReturn(messageId)) {
      this.metrics.messagePublished(exchange, type, 'unroutable');
      throw new UnroutableMessageError(exchange, routingKey);
    }
    this.metrics.messagePublished(exchange, type, 'confirmed');
  }

  /**
   * A reply on direct reply-to: not mandatory (the caller may have given up), still confirmed.
   * Above MAX_MESSAGE_BYTES it is refused as a new message is (encodeJson).
   */
  async reply(replyTo: string, properties: Options.Publish, payload: unknown): Promise<void> {
    const content = encodeJson(payload, this.maxMessageBytes);
    const options: ManagedOptions.Publish = {
      ...properties,
      appId: this.options.service,
      contentType: 'application/json',
      persistent: true,
      timeout: DEFAULT_PUBLISH_TIMEOUT_MS,
    };
    checkPublishProperties('', replyTo, options);
    await this.channel.current.publish('', replyTo, content, options);
  }

  private onReturn(message: Message): void {
    const messageId = message.properties.messageId as string | undefined;
    if (messageId) this.returnedMessageIds.set(messageId, this.returnCount(messageId) + 1);
  }

  /** Matches one return of `messageId` to a publish of it; false when none is waiting. */
  private takeReturn(messageId: string): boolean {
    const count = this.returnCount(messageId);
    if (count === 0) return false;
    if (count === 1) this.returnedMessageIds.delete(messageId);
    else this.returnedMessageIds.set(messageId, count - 1);
    return true;
  }

  private returnCount(messageId: string): number {
    return this.returnedMessageIds.get(messageId) ?? 0;
  }
}
