import { Logger } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { MAX_MESSAGE_TYPE_LABELS, MessagingMetrics, OTHER_MESSAGE_TYPE } from './messaging-metrics';
import { MetricNames } from './metric-names';

/** MessagingMetrics on a registry of its own, with the series the metrics module gives it. */
function metricsOn(registry: Registry): MessagingMetrics {
  const registers = [registry];
  const counter = (name: string, labelNames: string[]) =>
    new Counter({ name, help: name, labelNames, registers });
  const histogram = (name: string, labelNames: string[]) =>
    new Histogram({ name, help: name, labelNames, registers });
  return new MessagingMetrics(
    counter(MetricNames.messagesConsumed, ['queue', 'type', 'outcome']),
    histogram(MetricNames.handlerDuration, ['queue', 'type']),
    counter(MetricNames.messagesPublished, ['exchange', 'type', 'outcome']),
    histogram(MetricNames.rpcClientDuration, ['routing_key', 'outcome']),
    counter(MetricNames.rpcClientTimeouts, ['routing_key']),
  );
}

/** Each `type` label value of a series, with its count. */
async function countsByType(registry: Registry, name: string): Promise<Map<string, number>> {
  const metric = await registry.getSingleMetric(name)!.get();
  const counts = new Map<string, number>();
  for (const { labels, value } of metric.values) {
    const type = String(labels.type);
    counts.set(type, (counts.get(type) ?? 0) + value);
  }
  return counts;
}

describe('MessagingMetrics: the type label', () => {
  let registry: Registry;
  let metrics: MessagingMetrics;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    registry = new Registry();
    metrics = metricsOn(registry);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => warn.mockRestore());

  /** Dead-letters, and copies, one message of each of `count` types no handler takes. */
  const madeUpTypes = (count: number) => {
    for (let index = 0; index < count; index += 1) {
      metrics.messageSettled('billing.events', `made.up-${index}`, 'dead_lettered');
      metrics.messagePublished('', `made.up-${index}`, 'confirmed');
    }
  };

  it('counts each type under its own name up to the bound, then new ones as (other)', async () => {
    madeUpTypes(MAX_MESSAGE_TYPE_LABELS + 5);

    for (const name of [MetricNames.messagesConsumed, MetricNames.messagesPublished]) {
      const counts = await countsByType(registry, name);
      expect(counts.size).toBe(MAX_MESSAGE_TYPE_LABELS + 1);
      expect(counts.get('made.up-0')).toBe(1);
      expect(counts.get(`made.up-${MAX_MESSAGE_TYPE_LABELS - 1}`)).toBe(1);
      expect(counts.get(OTHER_MESSAGE_TYPE)).toBe(5);
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toContain(`made.up-${MAX_MESSAGE_TYPE_LABELS}`);
  });

  it('keeps counting a type seen before the bound was reached under its own name', async () => {
    madeUpTypes(MAX_MESSAGE_TYPE_LABELS + 5);
    metrics.messageSettled('billing.events', 'made.up-7', 'dead_lettered');

    const counts = await countsByType(registry, MetricNames.messagesConsumed);
    expect(counts.get('made.up-7')).toBe(2);
    expect(counts.get(OTHER_MESSAGE_TYPE)).toBe(5);
  });

  it('keeps a reserved type (one a queue handles) out of (other), however many came first', async () => {
    metrics.reserveTypes(['invoice.issued']);
    madeUpTypes(MAX_MESSAGE_TYPE_LABELS + 5);
    metrics.messageSettled('billing.events', 'invoice.issued', 'ack');
    metrics.messageHandled('billing.events', 'invoice.issued', 0.002);

    const consumed = await countsByType(registry, MetricNames.messagesConsumed);
    expect(consumed.get('invoice.issued')).toBe(1);
    // The reserved type took one of the places: one more made-up type went to (other).
    expect(consumed.get(OTHER_MESSAGE_TYPE)).toBe(6);
    const handled = await registry.getSingleMetric(MetricNames.handlerDuration)!.get();
    expect(handled.values.some(({ labels }) => labels.type === 'invoice.issued')).toBe(true);
  });
});
