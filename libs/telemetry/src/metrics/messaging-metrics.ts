import { Injectable, Logger } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import {
  type ConsumeOutcome,
  MetricNames,
  type PublishOutcome,
  type RpcOutcome,
} from './metric-names';

const HANDLER_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The most message types a process labels its series with. A type is the sender's to choose (a
 * message sent straight to a queue may carry any), so a client making types up would otherwise
 * add series, and memory, without end; past the bound a new type is counted as `(other)`.
 */
export const MAX_MESSAGE_TYPE_LABELS = 200;
export const OTHER_MESSAGE_TYPE = '(other)';

export const messagingMetricProviders = [
  makeCounterProvider({
    name: MetricNames.messagesConsumed,
    help: 'Messages consumed, by queue, type and outcome',
    labelNames: ['queue', 'type', 'outcome'],
  }),
  makeHistogramProvider({
    name: MetricNames.handlerDuration,
    help: 'Time a message handler took (its guards, pipes and interceptors included), inside its transaction and before the commit and settlement, by queue and type',
    labelNames: ['queue', 'type'],
    buckets: HANDLER_BUCKETS,
  }),
  makeCounterProvider({
    name: MetricNames.messagesPublished,
    help: 'Messages published, by exchange, type and outcome (confirmed, unroutable, refused, failed)',
    labelNames: ['exchange', 'type', 'outcome'],
  }),
  makeHistogramProvider({
    name: MetricNames.rpcClientDuration,
    help: 'RPC calls made by this service, by routing key and outcome',
    labelNames: ['routing_key', 'outcome'],
    buckets: HANDLER_BUCKETS,
  }),
  makeCounterProvider({
    name: MetricNames.rpcClientTimeouts,
    help: 'RPC calls that got no reply before their deadline',
    labelNames: ['routing_key'],
  }),
];

/** What the messaging layer records; the consumers, publisher and RPC client call it. */
@Injectable()
export class MessagingMetrics {
  constructor(
    @InjectMetric(MetricNames.messagesConsumed) private readonly consumed: Counter<string>,
    @InjectMetric(MetricNames.handlerDuration) private readonly handlerDuration: Histogram<string>,
    @InjectMetric(MetricNames.messagesPublished) private readonly published: Counter<string>,
    @InjectMetric(MetricNames.rpcClientDuration) private readonly rpcDuration: Histogram<string>,
    @InjectMetric(MetricNames.rpcClientTimeouts) private readonly rpcTimeouts: Counter<string>,
  ) {}

  private readonly logger = new Logger(MessagingMetrics.name);
  private readonly typeLabels = new Set<string>();
  private typeLabelsFull = false;

  // These run once or more per message: label sets are few, so each set's child is kept rather
  // than found again by hashing its labels on every call.
  private readonly consumedBy = cachedChildren((...labels) => this.consumed.labels(...labels));
  private readonly durationBy = cachedChildren((...labels) =>
    this.handlerDuration.labels(...labels),
  );
  private readonly publishedBy = cachedChildren((...labels) => this.published.labels(...labels));

  /**
   * Types that keep series of their own however many others arrive first: the consumers give the
   * types their queues handle when they start, the publisher those the service publishes.
   */
  reserveTypes(types: Iterable<string>): void {
    for (const type of types) this.typeLabels.add(type);
  }

  messageSettled(queue: string, type: string, outcome: ConsumeOutcome): void {
    this.consumedBy(queue, this.typeLabel(type), outcome).inc();
  }

  messageHandled(queue: string, type: string, seconds: number): void {
    this.durationBy(queue, this.typeLabel(type)).observe(seconds);
  }

  messagePublished(exchange: string, type: string, outcome: PublishOutcome): void {
    this.publishedBy(exchange || '(default)', this.typeLabel(type), outcome).inc();
  }

  rpcCalled(routingKey: string, outcome: RpcOutcome, seconds: number): void {
    this.rpcDuration.observe({ routing_key: routingKey, outcome }, seconds);
    if (outcome === 'timeout') this.rpcTimeouts.inc({ routing_key: routingKey });
  }

  /** `type` if reserved or seen before, or while fewer than MAX_MESSAGE_TYPE_LABELS types are. */
  private typeLabel(type: string): string {
    if (this.typeLabels.has(type)) return type;
    if (this.typeLabels.size < MAX_MESSAGE_TYPE_LABELS) {
      this.typeLabels.add(type);
      return type;
    }
    if (!this.typeLabelsFull) {
      this.typeLabelsFull = true;
      this.logger.warn(
        `More than ${MAX_MESSAGE_TYPE_LABELS} message types seen (the latest "${type.slice(0, 100)}"): ` +
          `further new types are counted as "${OTHER_MESSAGE_TYPE}" in the messaging metrics`,
      );
    }
    return OTHER_MESSAGE_TYPE;
  }
}

function cachedChildren<T>(make: (...labels: string[]) => T): (...labels: string[]) => T {
  const children = new Map<string, T>();
  return (...labels) => {
    const key = labels.join('\u0000');
    let child = children.get(key);
    if (child === undefined) {
      child = make(...labels);
      children.set(key, child);
    }
    return child;
  };
}
