import { MonitoringDatabase } from '@app/platform';
import { MetricNames, readForGauge } from '@app/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { isNull, sql } from 'drizzle-orm';
import type { Gauge } from 'prom-client';
import { OUTBOX_OPTIONS, type OutboxModuleOptions } from './outbox.options';

export interface OutboxLag {
  /** Rows due (scheduled ones once their time came) but not yet confirmed by the broker. */
  pending: number;
  /** How long the oldest of them has been due; 0 when none is pending. */
  oldestPendingSeconds: number;
  /** Scheduled messages whose time has not come yet: waiting, not lagging. */
  scheduled: number;
}

const REUSE_MS = 1_000;

/**
 * How far the relay is behind: what readiness and the outbox gauges report, read on the
 * monitoring connection, not behind the work in the service's pool.
 */
@Injectable()
export class OutboxMonitor {
  private last?: { at: number; lag: Promise<OutboxLag> };

  constructor(
    private readonly monitoring: MonitoringDatabase,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxModuleOptions,
  ) {}

  lag(): Promise<OutboxLag> {
    if (!this.last || Date.now() - this.last.at > REUSE_MS) {
      const lag = this.measure();
      this.last = { at: Date.now(), lag };
      // A failed measurement must not be served again from the cache.
      lag.catch(() => (this.last = undefined));
    }
    return this.last.lag;
  }

  private async measure(): Promise<OutboxLag> {
    const outbox = this.options.table;
    // A scheduled row lags from its due time on, not from when it was written.
    const dueSince = sql`coalesce(${outbox.deliverAt}, ${outbox.createdAt})`;
    const due = sql`${dueSince} <= now()`;
    const [row] = await this.monitoring.db
      .select({
        pending: sql<number>`(count(*) filter (where ${due}))::int`,
        scheduled: sql<number>`(count(*) filter (where not ${due}))::int`,
        oldestSeconds: sql<
          string | null
        >`extract(epoch from now() - min(${dueSince}) filter (where ${due}))`,
      })
      .from(outbox)
      .where(isNull(outbox.sentAt));
    return {
      pending: row.pending,
      scheduled: row.scheduled,
      oldestPendingSeconds: Math.max(0, Number(row.oldestSeconds ?? 0)),
    };
  }
}

/** A gauge of one figure of the outbox's lag; it keeps its last value while the database is away. */
function lagGauge(name: string, help: string, figure: (lag: OutboxLag) => number) {
  return makeGaugeProvider({
    name,
    help,
    inject: [OutboxMonitor],
    async collect(this: Gauge<string>, monitor: OutboxMonitor) {
      const lag = await readForGauge(() => monitor.lag());
      if (lag) this.set(figure(lag));
    },
  });
}

export const outboxMetricProviders = [
  lagGauge(
    MetricNames.outboxPending,
    'Outbox rows committed but not yet published',
    (lag) => lag.pending,
  ),
  lagGauge(
    MetricNames.outboxOldestPendingAge,
    'Age of the oldest unpublished outbox row, in seconds (0 when none)',
    (lag) => lag.oldestPendingSeconds,
  ),
  lagGauge(
    MetricNames.outboxScheduledPending,
    'Scheduled outbox messages whose time has not come yet',
    (lag) => lag.scheduled,
  ),
  makeHistogramProvider({
    name: MetricNames.outboxScheduledLateness,
    help: 'How long after its due time a scheduled message was published, in seconds',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  }),
];
