import { MessagingMetrics } from '@app/telemetry';
import { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import { Inject, Injectable } from '@nestjs/common';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { ConsumerHost } from '../consuming/consumer-host';
import type { MessageContext } from '../consuming/message-context';
import {
  type Discovered,
  type EventHandlerMetadata,
  planConsumers,
  type RpcResponderMetadata,
} from '../consuming/plan-consumers';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from '../messaging.options';
import { ForeignHandlerCheck } from './foreign-handlers';
import { contractOfPattern, patternName } from './handler-pattern';
import type { HandlerExtras } from './message-controller.decorator';

/**
 * The Nest transport of this project: `@EventPattern` and `@MessagePattern` methods of
 * `@MessageController`s consume the queues of the service topology over golevelup's AMQP
 * connection. Nest hands over each method wrapped in its guards, interceptors, pipes and
 * filters; the consumers run that wrapper inside the inbox transaction, so enhancers see the
 * transaction, and the message is acked only after it commits.
 *
 * Each handler is timed here, around Nest's wrapper (the handler-duration histogram, guards,
 * pipes and interceptors included), rather than by a global interceptor: a handler with no
 * interceptor of its own is then called without rxjs in between.
 *
 * Consumers start in `listen` (startAllMicroservices) and drain in ConsumerHost's
 * beforeApplicationShutdown, which Nest runs before it closes the transports.
 */
@Injectable()
export class AmqpTransport extends Server implements CustomTransportStrategy {
  private readonly eventHandlers: Discovered<EventHandlerMetadata>[] = [];
  private readonly rpcResponders: Discovered<RpcResponderMetadata>[] = [];

  constructor(
    private readonly amqp: AmqpConnection,
    private readonly consumers: ConsumerHost,
    private readonly foreignHandlers: ForeignHandlerCheck,
    private readonly metrics: MessagingMetrics,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
  ) {
    super();
  }

  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler = false,
    extras: Record<string, unknown> = {},
  ): void {
    const { queue, handler } = extras as HandlerExtras;
    const found = contractOfPattern(pattern);
    const name = handler ?? `The handler of ${patternName(pattern)}`;
    if (!queue) {
      throw new Error(
        `${name} names no queue: put @MessageController(<a queue of the ${this.options.service} topology>) on its class`,
      );
    }
    const invoke = (payload: unknown, context: MessageContext) =>
      this.timed(context, () => outcomeOf(callback(payload, context)));
    if (isEventHandler && found.kind === 'event' && queue.kind === 'consumer') {
      this.eventHandlers.push({ meta: { queue, contract: found.contract }, name, invoke });
    } else if (!isEventHandler && found.kind === 'rpc' && queue.kind === 'rpc') {
      this.rpcResponders.push({ meta: { queue, contract: found.contract }, name, invoke });
    } else {
      throw new Error(
        `${name}: use @EventPattern with an event or job contract on a consumer queue, and @MessagePattern with an RPC contract on an RPC queue`,
      );
    }
    this.messageHandlers.set(`${queue.name}#${patternName(pattern)}`, callback);
  }

  override normalizePattern(pattern: unknown): string {
    return patternName(pattern);
  }

  listen(callback: (error?: unknown) => void): void {
    try {
      this.foreignHandlers.assertNone();
      const plan = planConsumers(this.options.topology, this.eventHandlers, this.rpcResponders);
      this.consumers.start(plan);
    } catch (error) {
      callback(error);
      return;
    }
    callback();
  }

  /** Observes how long a handler took, failed or not, by queue and type. */
  private async timed(context: MessageContext, handle: () => Promise<unknown>): Promise<unknown> {
    const startedAt = performance.now();
    try {
      return await handle();
    } finally {
      const seconds = (performance.now() - startedAt) / 1000;
      this.metrics.messageHandled(context.queue, context.type, seconds);
    }
  }

  /** Nothing left to do: the consumers have drained and stopped before Nest closes transports. */
  close(): void {}

  on(): never {
    throw new Error('The AMQP transport reports its state through the health checks, not events');
  }

  unwrap<T>(): T {
    return this.amqp as T;
  }
}

/**
 * What Nest's handler wrapper returns: a value, a promise, or an observable (with an
 * interceptor); an error filtered by Nest arrives as a failed observable.
 */
async function outcomeOf(result: unknown): Promise<unknown> {
  const settled: unknown = await result;
  return isObservable(settled) ? lastValueFrom(settled, { defaultValue: undefined }) : settled;
}
