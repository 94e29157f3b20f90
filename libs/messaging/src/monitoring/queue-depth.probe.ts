import type { BaseConfig } from '@app/platform';
import { MetricNames, readForGauge } from '@app/telemetry';
import { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { ResilientChannel } from '../channels/resilient-channel';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from '../messaging.options';
import { deadLetterQueueName, retryQueueNames } from '../topology/queue-names';

export interface QueueSample {
  queue: string;
  messages: number;
  consumers: number;
}

const SAMPLE_TIMEOUT_MS = 1_000;
const SAMPLE_REUSE_MS = 1_000;

/**
 * Asks the broker how many messages wait in each queue this service owns (its queues, their
 * retry and dead-letter queues), with a passive declare on a channel of its own. One sample
 * serves both gauges of a scrape.
 */
@Injectable()
export class QueueDepthProbe implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(QueueDepthProbe.name);
  private channel!: ResilientChannel;
  private last?: { at: number; samples: Promise<QueueSample[]> };

  constructor(
    private readonly amqp: AmqpConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly config: ConfigService<BaseConfig, true>,
  ) {}

  onModuleInit(): void {
    this.channel = new ResilientChannel(this.amqp.managedConnection, {
      name: `${this.options.service}.monitor`,
      confirm: false,
      setup: () => Promise.resolve(),
      logger: this.logger,
    });
    this.channel.open();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.channel.close();
  }

  /** The queues of the service topology, with their retry and dead-letter queues. */
  ownQueues(): string[] {
    const delays: number[] = this.config.get('RETRY_DELAYS_MS', { infer: true });
    return Object.values(this.options.topology.queues).flatMap((queue) => [
      queue.name,
      deadLetterQueueName(queue.name),
      ...(queue.kind === 'consumer'
        ? retryQueueNames(queue.name, queue.retryDelaysMs ?? delays)
        : []),
    ]);
  }

  sample(): Promise<QueueSample[]> {
    if (!this.last || Date.now() - this.last.at > SAMPLE_REUSE_MS) {
      this.last = { at: Date.now(), samples: this.takeSamples() };
    }
    return this.last.samples;
  }

  private async takeSamples(): Promise<QueueSample[]> {
    if (!this.amqp.managedConnection.isConnected()) return [];
    const samples = await Promise.all(this.ownQueues().map((queue) => this.sampleOne(queue)));
    return samples.filter((sample): sample is QueueSample => sample !== undefined);
  }

  private async sampleOne(queue: string): Promise<QueueSample | undefined> {
    const answer = await readForGauge(
      () => this.channel.current.checkQueue(queue),
      SAMPLE_TIMEOUT_MS,
    );
    return answer && { queue, messages: answer.messageCount, consumers: answer.consumerCount };
  }
}

function gaugeOf(name: string, help: string, pick: (sample: QueueSample) => number) {
  return makeGaugeProvider({
    name,
    help,
    labelNames: ['queue'],
    inject: [QueueDepthProbe],
    async collect(this: Gauge<string>, probe: QueueDepthProbe) {
      const samples = await probe.sample();
      this.reset();
      for (const sample of samples) this.set({ queue: sample.queue }, pick(sample));
    },
  });
}

export const queueDepthGauges = [
  gaugeOf(
    MetricNames.queueMessages,
    'Messages ready in each of this service’s queues',
    (s) => s.messages,
  ),
  gaugeOf(
    MetricNames.queueConsumers,
    'Consumers attached to each of this service’s queues',
    (s) => s.consumers,
  ),
];
