import { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { ChannelWrapper, Options as ManagedOptions } from 'amqp-connection-manager';
import type { ConfirmChannel, Message, Options } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { UnroutableMessageError } from '../errors';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from '../messaging.options';
import { declareExchanges } from '../topology/declare-topology';
import { encodeJson, messageProperties, type OutgoingMessage } from './outgoing-message';

export interface PublishSettings {
  /** Reject instead of waiting forever for a broker that is down. */
  timeoutMs?: number;
}

const DEFAULT_PUBLISH_TIMEOUT_MS = 10_000;

/**
 * Publishes on its own confirm channel: every publish is persistent and `mandatory`, and
 * resolves only after the broker's confirm. A message no queue takes is returned by the broker
 * before its confirm, and the publish then fails with UnroutableMessageError.
 */
@Injectable()
export class MessagePublisher implements OnModuleInit {
  private readonly logger = new Logger(MessagePublisher.name);
  private readonly returnedMessageIds = new Set<string>();
  private channel!: ChannelWrapper;

  constructor(
    private readonly amqp: AmqpConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
  ) {}

  onModuleInit(): void {
    this.channel = this.amqp.managedConnection.createChannel({
      name: `${this.options.service}.publisher`,
      confirm: true,
      setup: async (channel: ConfirmChannel) => {
        channel.on('return', (message: Message) => this.onReturn(message));
        await declareExchanges(channel);
      },
    });
    this.channel.on('error', (error: Error) =>
      this.logger.error(`Publisher channel failed: ${error.message}`),
    );
  }

  async publish(message: OutgoingMessage, settings: PublishSettings = {}): Promise<void> {
    await this.publishRaw(
      message.exchange,
      message.routingKey,
      encodeJson(message.payload),
      messageProperties(message, this.options.service),
      settings,
    );
  }

  /** Publishes bytes as they are, e.g. a consumed message copied to a retry or dead-letter queue. */
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
      timeout: settings.timeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS,
    };
    try {
      await this.channel.publish(exchange, routingKey, content, options);
    } catch (error) {
      this.returnedMessageIds.delete(messageId);
      throw error;
    }
    if (this.returnedMessageIds.delete(messageId)) {
      throw new UnroutableMessageError(exchange, routingKey);
    }
  }

  /** A reply on direct reply-to: not mandatory (the caller may have given up), still confirmed. */
  async reply(replyTo: string, properties: Options.Publish, payload: unknown): Promise<void> {
    await this.channel.publish('', replyTo, encodeJson(payload), {
      ...properties,
      appId: this.options.service,
      contentType: 'application/json',
      persistent: true,
      timeout: DEFAULT_PUBLISH_TIMEOUT_MS,
    });
  }

  private onReturn(message: Message): void {
    const messageId = message.properties.messageId as string | undefined;
    if (messageId) this.returnedMessageIds.add(messageId);
  }
}
