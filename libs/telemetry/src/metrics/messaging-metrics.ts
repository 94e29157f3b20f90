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
    help: 'Time from delivery to settlement of a message, by queue and type',
    labelNames: ['queue', 'type'],
    buckets: HANDLER_BUCKETS,
  }),
  makeCounterProvider({
    name: MetricNames.messagesPublished,
    help: 'Messages published, by exchange, type and outcome (confirmed, unroutable, failed)',
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

  messageSettled(queue: string, type: string, outcome: ConsumeOutcome): void {
    this.consumed.inc({ queue, type, outcome });
  }

  messageHandled(queue: string, type: string, seconds: number): void {
    this.handlerDuration.observe({ queue, type }, seconds);
  }

  messagePublished(exchange: string, type: string, outcome: PublishOutcome): void {
    this.published.inc({ exchange: exchange || '(default)', type, outcome });
  }

  rpcCalled(routingKey: string, outcome: RpcOutcome, seconds: number): void {
    this.rpcDuration.observe({ routing_key: routingKey, outcome }, seconds);
    if (outcome === 'timeout') this.rpcTimeouts.inc({ routing_key: routingKey });
  }
}
