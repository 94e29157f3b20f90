import { EVENTS_EXCHANGE } from '@app/contracts';
import { SERVICES } from '@app/services';
import { MetricNames } from '@app/telemetry';
import { AmqpTestClient, waitFor } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { anOrder, PAID_ORDER_NOTIFICATIONS, Stack } from '../support/stack';
import { APPS } from './app-configs';
import { dashboardMetrics, panelSelector } from './grafana-files';
import { alertRules } from './prometheus-rules';
import { readExpression, type Selector } from './promql';
import { alertQueries, dashboardQueries, labelProblems, unexposed } from './queried-metrics';
import { ScrapedMetrics } from './scraped-metrics';

/**
 * The dashboard, prometheus.yml and the alerting rules against a real scrape of the built services,
 * run as compose runs them (two payment replicas), and of the broker, after an order, a
 * dead-lettered event, a periodic job's missed tick caught up, and payment gone: an RPC timeout
 * and its queues left without a consumer.
 */

/** A malformed event: payment and notification dead-letter it. */
async function deadLetterAMalformedEvent(running: Stack, metrics: ScrapedMetrics): Promise<void> {
  const client = await AmqpTestClient.connect(running.isolation.env.RABBITMQ_URL);
  try {
    await client.publish(EVENTS_EXCHANGE, 'order.created', Buffer.from('not json'), {
      messageId: randomUUID(),
      type: 'order.created',
    });
  } finally {
    await client.close();
  }
  await running.explained(
    waitFor(
      async () => {
        await metrics.scrape(running.services);
        const deadLettered = metrics
          .samplesOf(MetricNames.messagesConsumed)
          .filter((sample) => sample.labels.outcome === 'dead_lettered');
        const depth = metrics
          .samplesOf(MetricNames.queueMessages)
          .filter((sample) => sample.labels.queue.endsWith('.dlq') && sample.value > 0);
        return deadLettered.length >= 2 && depth.length >= 2;
      },
      { description: 'the malformed event dead-lettered by payment and notification' },
    ),
  );
}

/**
 * A periodic job every replica missed: notification's inbox pruning last ran three hours ago, so
 * a notification replica starting now runs the missed tick, and every periodic job metric has a sample.
 */
async function catchUpAMissedPeriodicJob(running: Stack, metrics: ScrapedMetrics): Promise<void> {
  await running.query(
    `insert into notifications.job_runs (job, tick, runner, outcome, finished_at)
     values ('prune-inbox', date_trunc('hour', now()) - interval '3 hours', 'before', 'succeeded', now())`,
  );
  await running.launch('notification');
  await running.explained(
    waitFor(
      async () => {
        await metrics.scrape(running.services);
        return metrics
          .samplesOf(MetricNames.periodicJobRuns)
          .some((sample) => sample.labels.name === 'prune-inbox' && sample.value > 0);
      },
      { description: 'the new notification replica to run the missed prune-inbox tick' },
    ),
  );
}

/** With payment gone, order's RPC times out. */
async function timeOutAnRpc(running: Stack, orderId: string, metrics: ScrapedMetrics) {
  await Promise.all(running.payments.map((payment) => payment.stop()));
  await running.orderApi().get(`/orders/${orderId}`);
  await waitFor(
    async () => {
      await metrics.scrape(running.services);
      return metrics.samplesOf(MetricNames.rpcClientTimeouts).length > 0;
    },
    { description: 'order to count the RPC timeout' },
  );
}

/** The alert rule `name`'s first selector: the series it reads. */
function ruleSelector(name: string): Selector {
  const rule = alertRules.find((candidate) => candidate.alert === name);
  if (!rule) throw new Error(`No alert ${name} in deploy/prometheus/alerts.yml`);
  return readExpression(rule.expr).selectors[0];
}

/** The queues of payment's own definition. */
function paymentQueues(): string[] {
  const payment = SERVICES.find((service) => service.name === 'payment');
  return Object.values(payment?.topology.queues ?? {}).map((queue) => queue.name);
}

/** The queues QueueWithoutConsumer's series reads with no consumer, in the last broker scrape. */
function unconsumedQueues(metrics: ScrapedMetrics): string[] {
  return metrics
    .selected(ruleSelector('QueueWithoutConsumer'))
    .filter((sample) => sample.value === 0)
    .map((sample) => sample.labels.queue);
}

/**
 * With payment gone, RabbitMQ still reports payment's queues, with no consumer; payment's own
 * gauges went with it. The broker updates each queue's counts on its own few-second timer, so
 * the wait is for all of them.
 */
async function seePaymentQueuesUnconsumed(running: Stack, metrics: ScrapedMetrics) {
  await running.explained(
    waitFor(
      async () => {
        await metrics.scrapeBroker(running.isolation.vhost);
        const unconsumed = unconsumedQueues(metrics);
        return paymentQueues().every((queue) => unconsumed.includes(queue));
      },
      { description: "RabbitMQ to count no consumer on each of payment's queues" },
    ),
  );
}

describe('the dashboard, prometheus.yml and the alerting rules against a real scrape', () => {
  let stack: Stack | undefined;
  const metrics = new ScrapedMetrics();

  beforeAll(async () => {
    // As compose runs them: two payment replicas.
    stack = await Stack.start('observability', { paymentReplicas: 2 });
    const running = stack;

    // One order through every queue, and the RPC (GET /orders/:id asks payment).
    const posted = await running.placeOrder(anOrder());
    await running.settledOrder(posted.body.id);
    await running.deliveredNotifications(posted.body.id, PAID_ORDER_NOTIFICATIONS.length);

    await deadLetterAMalformedEvent(running, metrics);
    await catchUpAMissedPeriodicJob(running, metrics);
    await timeOutAnRpc(running, posted.body.id, metrics);
    await seePaymentQueuesUnconsumed(running, metrics);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('scraped each of the services, both payment replicas included', () => {
    const scraped = [...metrics.pages.keys()].map((key) => key.split(':')[0]);
    expect(scraped.filter((name) => name === 'payment')).toHaveLength(2);
    expect(new Set(scraped)).toEqual(new Set(APPS));
  });

  it('finds every metric the dashboard queries in what the services expose', () => {
    expect(dashboardMetrics().size).toBeGreaterThan(10);
    expect(unexposed(metrics, dashboardQueries())).toEqual([]);
  });

  it('names only labels those metrics carry, in matchers, groupings and legends', () => {
    expect(labelProblems(metrics, dashboardQueries())).toEqual([]);
  });

  it('finds every metric the alerting rules use, with the labels they group by and print', () => {
    expect(unexposed(metrics, alertQueries())).toEqual([]);
    expect(labelProblems(metrics, alertQueries())).toEqual([]);
  });

  it('alerts on the queues nobody consumes from the broker’s count: payment’s, once it is gone', () => {
    // Every queue of payment's own definition, and no other: order's and notification's still
    // have their consumers; retry and dead-letter queues, and the event log, are left out.
    expect(paymentQueues().length).toBeGreaterThan(1);
    expect(new Set(unconsumedQueues(metrics))).toEqual(new Set(paymentQueues()));
  });

  it('shows the dead-letter queues, and only them, in the dead-letter depth panel', () => {
    const queues = (selector: Selector) =>
      new Set(metrics.selected(selector).map((sample) => sample.labels.queue));
    const all = new Set(metrics.samplesOf(MetricNames.queueMessages).map((s) => s.labels.queue));
    const deadLetter = [...all].filter((queue) => queue.endsWith('.dlq'));
    expect(deadLetter).toEqual(
      expect.arrayContaining(['payment.order-created.dlq', 'notification.order-events.dlq']),
    );

    expect(queues(panelSelector(/dead-letter/i, MetricNames.queueMessages))).toEqual(
      new Set(deadLetter),
    );
    expect(queues(panelSelector(/^queue depth/i, MetricNames.queueMessages))).toEqual(
      new Set([...all].filter((queue) => !queue.endsWith('.dlq'))),
    );
  });

  it('counts the dead-lettered event in the failed-deliveries panel, and no handled message', () => {
    const failures = metrics.selected(panelSelector(/failed/i, MetricNames.messagesConsumed));
    expect(new Set(failures.map((sample) => sample.labels.queue))).toEqual(
      new Set(['payment.order-created', 'notification.order-events']),
    );
    expect(failures.map((sample) => sample.labels.outcome)).not.toContain('ack');
  });
});
