import {
  RPC_EXCHANGE,
  rpcErrorReply,
  type ReplyOf,
  type RequestOf,
  type RpcContract,
} from '@app/contracts';
import { CAUSATION_ID_HEADER, CORRELATION_ID_HEADER, CorrelationContext } from '@app/correlation';
import type { BaseConfig } from '@app/platform';
import { MessagingMetrics } from '@app/telemetry';
import { AmqpConnection, RpcTimeoutError } from '@golevelup/nestjs-rabbitmq';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { RpcDeadlineExceededError, RpcReplyError } from '../errors';
import { MessageHeaders } from '../message-headers';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from '../messaging.options';
import { JSON_CONTENT_TYPE } from '../publishing/outgoing-message';

/**
 * Request/reply over direct reply-to with a deadline (RPC_TIMEOUT_MS). The request carries the
 * same deadline as its AMQP expiration, so the broker drops it if no responder takes it in
 * time, and as `x-deadline`, so a responder that got it late skips the stale work.
 */
@Injectable()
export class RpcClient {
  constructor(
    private readonly amqp: AmqpConnection,
    private readonly correlation: CorrelationContext,
    private readonly config: ConfigService<BaseConfig, true>,
    private readonly metrics: MessagingMetrics,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
  ) {}

  async call<TContract extends RpcContract>(
    contract: TContract,
    request: RequestOf<TContract>,
  ): Promise<ReplyOf<TContract>> {
    const timeoutMs = this.config.get('RPC_TIMEOUT_MS', { infer: true });
    const { correlationId, causationId } = this.correlation.current();
    const startedAt = performance.now();
    const seconds = () => (performance.now() - startedAt) / 1000;
    let reply: unknown;
    try {
      reply = await this.amqp.request<unknown>({
        exchange: RPC_EXCHANGE,
        routingKey: contract.routingKey,
        payload: contract.request.parse(request),
        timeout: timeoutMs,
        expiration: timeoutMs,
        headers: {
          [CORRELATION_ID_HEADER]: correlationId,
          [CAUSATION_ID_HEADER]: causationId,
          [MessageHeaders.deadline]: Date.now() + timeoutMs,
        },
        publishOptions: {
          messageId: randomUUID(),
          type: contract.routingKey,
          timestamp: Math.floor(Date.now() / 1000),
          contentType: JSON_CONTENT_TYPE,
          appId: this.options.service,
          persistent: true,
          // amqp-connection-manager gives up on the publish itself at the deadline too.
          timeout: timeoutMs,
        } as object,
      });
    } catch (error) {
      const timedOut = error instanceof RpcTimeoutError;
      this.metrics.rpcCalled(contract.routingKey, timedOut ? 'timeout' : 'error', seconds());
      if (timedOut) throw new RpcDeadlineExceededError(contract.routingKey, timeoutMs);
      throw error;
    }
    try {
      const answer = this.readReply(contract, reply);
      this.metrics.rpcCalled(contract.routingKey, 'ok', seconds());
      return answer;
    } catch (error) {
      this.metrics.rpcCalled(contract.routingKey, 'error', seconds());
      throw error;
    }
  }

  private readReply<TContract extends RpcContract>(
    contract: TContract,
    reply: unknown,
  ): ReplyOf<TContract> {
    // Replies are far more common than error replies: try the contract first.
    const parsed = contract.reply.safeParse(reply);
    if (parsed.success) return parsed.data as ReplyOf<TContract>;
    const failure = rpcErrorReply.safeParse(reply);
    if (failure.success) {
      throw new RpcReplyError(
        contract.routingKey,
        failure.data.error.code,
        failure.data.error.message,
      );
    }
    throw new RpcReplyError(contract.routingKey, 'INVALID_REPLY', parsed.error.message);
  }
}
