import type { BaseConfig } from '@app/platform';
import { CorrelationContext } from '@app/correlation';
import { MessagingMetrics } from '@app/telemetry';
import { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import { BeforeApplicationShutdown, Injectable, Logger, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MessagePublisher } from '../publishing/message-publisher';
import { RpcProcessor } from '../rpc/rpc-processor';
import { declareConsumerQueue, declareRpcQueue } from '../topology/declare-topology';
import type { QueueDeclaration } from '../topology/queue-declaration';
import { serviceDeclaration } from '../topology/service-declaration';
import type { ConsumerQueue, FailurePolicy, RpcQueue } from '../topology/topology';
import { DeadLetterListeners } from './dead-letter-listeners';
import { DeadLetterRecord } from './dead-letter-record';
import { type BoundHandler, EventProcessor } from './event-processor';
import { FailureRouter, REJECT_DROPS } from './failure-router';
import { HandlerResultListener } from './handler-result-listener';
import { HandlerTransaction } from './handler-transaction';
import { QueueConsumer } from './queue-consumer';
import type { ConsumerPlan } from './plan-consumers';

/**
 * Runs one consumer per queue of the service topology, started by the transport once Nest has
 * handed it the handlers, and stops them first on shutdown so in-flight handlers can finish
 * while the database is open.
 */
@Injectable()
export class ConsumerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Consumers');
  private readonly consumers: QueueConsumer[] = [];
  /** Lets handlers held through a database outage give up their message at shutdown. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly amqp: AmqpConnection,
    private readonly publisher: MessagePublisher,
    private readonly transaction: HandlerTransaction,
    private readonly correlation: CorrelationContext,
    private readonly config: ConfigService<BaseConfig, true>,
    private readonly metrics: MessagingMetrics,
    private readonly deadLetters: DeadLetterListeners,
    @Optional() private readonly results?: HandlerResultListener,
  ) {}

  /** The queues this process consumes: whether each has a live consumer, and messages in flight. */
  status(): { queue: string; consuming: boolean; inFlight: number }[] {
    return this.consumers.map((consumer) => ({
      queue: consumer.queue,
      consuming: consumer.isConsuming,
      inFlight: consumer.inFlightCount,
    }));
  }

  start(plan: ConsumerPlan): void {
    this.metrics.reserveTypes([
      ...plan.consumerQueues.flatMap(({ handlers }) => [...handlers.keys()]),
      ...plan.rpcQueues.map(({ queue }) => queue.binding.routingKey),
    ]);
    for (const { queue, handlers, failures } of plan.consumerQueues) {
      this.consumers.push(this.eventConsumer(queue, handlers, failures));
    }
    for (const { queue, responder } of plan.rpcQueues) {
      this.consumers.push(this.rpcConsumer(queue, responder));
    }
    for (const consumer of this.consumers) consumer.start(this.amqp.managedConnection);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    const timeoutMs = this.config.get('SHUTDOWN_TIMEOUT_MS', { infer: true });
    await Promise.all(this.consumers.map((consumer) => consumer.stop(timeoutMs)));
  }

  private eventConsumer(
    queue: ConsumerQueue,
    handlers: Map<string, BoundHandler>,
    failures: FailurePolicy,
  ): QueueConsumer {
    const serviceDelaysMs: number[] = this.config.get('RETRY_DELAYS_MS', { infer: true });
    const retryDelaysMs = queue.retryDelaysMs ?? serviceDelaysMs;
    const logger = new Logger(queue.name);
    const record = new DeadLetterRecord(
      this.transaction,
      queue.name,
      this.deadLetters,
      this.maxMessageBytes,
    );
    const processor = new EventProcessor(queue, handlers, {
      router: new FailureRouter(this.publisher, queue.name, retryDelaysMs, logger, this.metrics, {
        record,
      }),
      failures,
      transaction: this.transaction,
      correlation: this.correlation,
      maxMessageBytes: this.maxMessageBytes,
      logger,
      stopping: this.stopping.signal,
      metrics: this.metrics,
      results: this.results,
    });
    return new QueueConsumer({
      queue: queue.name,
      prefetch: queue.prefetch,
      declare: (channel) =>
        declareConsumerQueue(channel, queue, retryDelaysMs, this.declaration(logger), [
          ...handlers.keys(),
        ]),
      process: processor.process,
      logger,
      metrics: this.metrics,
    });
  }

  private rpcConsumer(queue: RpcQueue, responder: RpcProcessor['responder']): QueueConsumer {
    const logger = new Logger(queue.name);
    const processor = new RpcProcessor(queue, responder, {
      publisher: this.publisher,
      router: new FailureRouter(this.publisher, queue.name, [], logger, this.metrics, {
        onReject: REJECT_DROPS,
      }),
      correlation: this.correlation,
      maxMessageBytes: this.maxMessageBytes,
      logger,
      metrics: this.metrics,
    });
    return new QueueConsumer({
      queue: queue.name,
      prefetch: queue.prefetch,
      declare: (channel) => declareRpcQueue(channel, queue, this.declaration(logger)),
      process: processor.process,
      logger,
      metrics: this.metrics,
      onReject: REJECT_DROPS,
    });
  }

  private declaration(logger: Logger): QueueDeclaration {
    return serviceDeclaration(this.amqp, this.config, logger);
  }

  private get maxMessageBytes(): number {
    return this.config.get('MAX_MESSAGE_BYTES', { infer: true });
  }
}
