import { RPC_EXCHANGE } from '@app/contracts';
import { PendingCalls } from '@app/messaging';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { envelope, publishConfirmed } from './raw-amqp';

const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

/**
 * `confirmed`: the baseline the targets are judged against, with the starter's guarantees —
 * requests and replies on confirm channels, a nacked request failing its call — and
 * its timing: a call returns on its reply without waiting for the request's confirm, and the
 * responder acks without waiting for the reply's. `plain`: a diagnostic, requests and replies on
 * plain channels.
 */
export type RpcMode = 'plain' | 'confirmed';

/**
 * A raw request/reply client over direct reply-to: the pseudo-queue is consumed with noAck on
 * the very channel that publishes the requests, and replies are matched by correlationId (with
 * the same PendingCalls map as the starter's client). Requests are persistent and expire at the
 * deadline, as the starter's do.
 */
export class RawRpcClient {
  private readonly pending = new PendingCalls();

  private constructor(
    private readonly channel: Channel | ConfirmChannel,
    private readonly mode: RpcMode,
  ) {}

  static async open(connection: ChannelModel, mode: RpcMode): Promise<RawRpcClient> {
    const channel =
      mode === 'confirmed'
        ? await connection.createConfirmChannel()
        : await connection.createChannel();
    const client = new RawRpcClient(channel, mode);
    await channel.consume(DIRECT_REPLY_TO, (message) => message && client.onReply(message), {
      noAck: true,
    });
    return client;
  }

  async call(routingKey: string, request: unknown, timeoutMs = 2_000): Promise<unknown> {
    const correlationId = randomUUID();
    const reply = this.pending.wait(
      correlationId,
      timeoutMs,
      () => new Error(`raw RPC ${routingKey} timed out`),
    );
    const content = Buffer.from(JSON.stringify(request));
    const options = {
      ...envelope(routingKey),
      replyTo: DIRECT_REPLY_TO,
      correlationId,
      expiration: timeoutMs,
    };
    if (this.mode === 'plain') {
      this.channel.publish(RPC_EXCHANGE, routingKey, content, options);
      return reply;
    }
    publishConfirmed(
      this.channel as ConfirmChannel,
      RPC_EXCHANGE,
      routingKey,
      content,
      options,
    ).catch((error: Error) => this.pending.fail(correlationId, error));
    return reply;
  }

  private onReply(message: ConsumeMessage): void {
    const correlationId = String(message.properties.correlationId);
    this.pending.answer(correlationId, JSON.parse(message.content.toString()));
  }
}

/** A raw responder: manual acks, `prefetch` in flight, replies on the default exchange. */
export async function startRawResponder(
  connection: ChannelModel,
  queue: string,
  prefetch: number,
  mode: RpcMode,
): Promise<void> {
  const channel =
    mode === 'confirmed'
      ? await connection.createConfirmChannel()
      : await connection.createChannel();
  await channel.prefetch(prefetch);
  const answer = (message: ConsumeMessage) => {
    const { replyTo, correlationId } = message.properties as {
      replyTo: string;
      correlationId: string;
    };
    const request = JSON.parse(message.content.toString()) as { text: string };
    const reply = Buffer.from(JSON.stringify({ text: request.text }));
    const options = { correlationId, contentType: 'application/json' };
    if (mode === 'plain') channel.publish('', replyTo, reply, options);
    else void publishConfirmed(channel as ConfirmChannel, '', replyTo, reply, options);
    channel.ack(message);
  };
  await channel.consume(queue, (message) => message && answer(message), { noAck: false });
}
