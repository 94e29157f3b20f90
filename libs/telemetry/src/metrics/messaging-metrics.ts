import { Injectable } from '@nestjs/common';
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

  // These run once or more per message: label sets are few, so each set's child is kept rather
  // than found again by hashing its labels on every call.
  private readonly consumedBy = cachedChildren((...labels) => this.consumed.labels(...labels));
  private readonly durationBy = cachedChildren((...labels) =>
    this.handlerDuration.labels(...labels),
  );
  private readonly publishedBy = cachedChildren((...labels) => this.published.labels(...labels));

  messageSettled(queue: string, type: string, outcome: ConsumeOutcome): void {
    this.consumedBy(queue, type, outcome).inc();
  }

  messageHandled(queue: string, type: string, seconds: number): void {
    this.durationBy(queue, type).observe(seconds);
  }

  messagePublished(exchange: string, type: string, outcome: PublishOutcome): void {
    this.publishedBy(exchange || '(default)', type, outcome).inc();
  }

  rpcCalled(routingKey: string, outcome: RpcOutcome, seconds: number): void {
    this.rpcDuration.observe({ routing_key: routingKey, outcome }, seconds);
    if (outcome === 'timeout') this.rpcTimeouts.inc({ routing_key: routingKey });
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
