import { RPC_EXCHANGE, type ReplyOf, type RequestOf, type RpcContract } from '@app/contracts';
import { CAUSATION_ID_HEADER, CORRELATION_ID_HEADER, CorrelationContext } from '@app/correlation';
import type { BaseConfig } from '@app/platform';
import { MessagingMetrics } from '@app/telemetry';
import { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Channel, ConsumeMessage, Message } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { ResilientChannel } from '../channels/resilient-channel';
import { BrokerConnection } from '../broker-connection';
import {
  BrokerBlockedError,
  BrokerUnreachableError,
  isBrokerNack,
  PublishRefusedError,
  RpcDeadlineExceededError,
  UnroutableMessageError,
} from '../errors';
import { MessageHeaders } from '../message-headers';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from '../messaging.options';
import { encodeJson, messageProperties } from '../publishing/outgoing-message';
import { checkPublishProperties } from '../publishing/publish-properties';
import { PendingCalls } from './pending-calls';
import { NOT_JSON, readReply } from './rpc-reply';

const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

/**
 * Request/reply over direct reply-to with a deadline (RPC_TIMEOUT_MS). The request carries the
 * same deadline as its AMQP expiration, so the broker drops it if no responder takes it in
 * time, and as `x-deadline`, so a responder that got it late skips the stale work.
 *
 * Requests are `mandatory` and go on a confirm channel, but the call never waits for the
 * confirm: the reply, or the deadline, is its acknowledgement. The confirm matters only when it
 * is a refusal: a full request queue (QUEUE_MAX_LENGTH, overflow reject-publish) nacks the
 * request, and the call fails at once instead of at its deadline. A request the broker returns
 * (no responder queue) fails the call at once too, and so does a lost channel; a call made
 * while the broker cannot be reached (an attempt to reconnect failed), or blocks the connection
 * (a resource alarm), is not sent at all. Nest code calls
 * through AmqpClient, the ClientProxy over this.
 */
@Injectable()
export class RpcClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RpcClient.name);
  private readonly pending = new PendingCalls();
  private readonly timeoutMs: number;
  private readonly maxMessageBytes: number;
  private channel!: ResilientChannel;

  constructor(
    private readonly amqp: AmqpConnection,
    private readonly broker: BrokerConnection,
    private readonly correlation: CorrelationContext,
    config: ConfigService<BaseConfig, true>,
    private readonly metrics: MessagingMetrics,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
  ) {
    this.timeoutMs = config.get('RPC_TIMEOUT_MS', { infer: true });
    this.maxMessageBytes = config.get('MAX_MESSAGE_BYTES', { infer: true });
  }

  onModuleInit(): void {
    this.channel = new ResilientChannel(this.amqp.managedConnection, {
      name: `${this.options.service}.rpc-client`,
      confirm: true,
      setup: (channel) => this.setUp(channel),
      logger: this.logger,
    });
    this.channel.open();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.channel.close();
  }

  async call<TContract extends RpcContract>(
    contract: TContract,
    request: RequestOf<TContract>,
  ): Promise<ReplyOf<TContract>> {
    const startedAt = performance.now();
    const seconds = () => (performance.now() - startedAt) / 1000;
    try {
      const reply = await this.send(contract.routingKey, contract.request.parse(request));
      const answer = readReply(contract, reply);
      this.metrics.rpcCalled(contract.routingKey, 'ok', seconds());
      return answer;
    } catch (error) {
      const outcome = error instanceof RpcDeadlineExceededError ? 'timeout' : 'error';
      this.metrics.rpcCalled(contract.routingKey, outcome, seconds());
      throw error;
    }
  }

  private send(routingKey: string, payload: unknown): Promise<unknown> {
    // The AMQP correlation id pairs reply and request; x-correlation-id follows the whole flow.
    const requestId = randomUUID();
    // Before the call waits: what throws here (outside a correlation context, a body JSON cannot
    // carry or above MAX_MESSAGE_BYTES, a broker out of reach) fails the call at once; a call
    // already waiting would reject at its deadline with nobody to hear it.
    const options = this.requestOptions(routingKey, requestId);
    checkPublishProperties(RPC_EXCHANGE, routingKey, options);
    const body = encodeJson(payload, this.maxMessageBytes);
    this.checkBrokerTakesRequests();
    const channel = this.channel.current;
    const reply = this.pending.wait(
      requestId,
      this.timeoutMs,
      () => new RpcDeadlineExceededError(routingKey, this.timeoutMs),
    );
    channel
      .publish(RPC_EXCHANGE, routingKey, body, options)
      .catch((error: Error) =>
        this.pending.fail(
          requestId,
          isBrokerNack(error) ? new PublishRefusedError(RPC_EXCHANGE, routingKey) : error,
        ),
      );
    return reply;
  }

  /**
   * A request sent while the broker would not read it would only wait out its deadline. A broken
   * connection alone is not enough to give up: the channel queues what is sent while the next
   * attempt, a second on, may reconnect in time; one that failed says the outage is longer.
   */
  private checkBrokerTakesRequests(): void {
    if (this.broker.isUnreachable) throw new BrokerUnreachableError();
    const blocked = this.broker.blockedReason;
    if (blocked !== undefined) throw new BrokerBlockedError(blocked);
  }

  /** A request's properties: the flow's ids, its deadline (header and expiration), reply-to. */
  private requestOptions(routingKey: string, requestId: string) {
    const { correlationId, causationId } = this.correlation.current();
    const headers = {
      [CORRELATION_ID_HEADER]: correlationId,
      [CAUSATION_ID_HEADER]: causationId,
      [MessageHeaders.deadline]: Date.now() + this.timeoutMs,
    };
    const properties = messageProperties(
      { messageId: randomUUID(), type: routingKey, headers },
      this.options.service,
    );
    return {
      ...properties,
      replyTo: DIRECT_REPLY_TO,
      correlationId: requestId,
      expiration: this.timeoutMs,
      mandatory: true,
      // amqp-connection-manager gives up on the publish itself at the deadline too.
      timeout: this.timeoutMs,
    };
  }

  private async setUp(channel: Channel): Promise<void> {
    channel.on('return', (message: Message) => this.onReturn(message));
    channel.once('close', () =>
      this.pending.failAll(new Error('The channel closed before the reply arrived')),
    );
    await channel.consume(DIRECT_REPLY_TO, (message) => message && this.onReply(message), {
      noAck: true,
    });
  }

  private onReply(message: ConsumeMessage): void {
    const requestId = String(message.properties.correlationId);
    let reply: unknown;
    try {
      reply = JSON.parse(message.content.toString());
    } catch {
      reply = NOT_JSON;
    }
    // A reply nobody waits for any more: its call passed the deadline.
    if (!this.pending.answer(requestId, reply)) {
      this.logger.debug(`Late reply to request ${requestId} dropped`);
    }
  }

  private onReturn(message: Message): void {
    const { exchange, routingKey } = message.fields;
    this.pending.fail(
      String(message.properties.correlationId),
      new UnroutableMessageError(exchange, routingKey),
    );
  }
}
