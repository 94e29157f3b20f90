import { type Database, DRIZZLE } from '@app/platform';
import { MetricNames } from '@app/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import { count, isNull, min, sql } from 'drizzle-orm';
import type { Gauge } from 'prom-client';
import { OUTBOX_OPTIONS, type OutboxModuleOptions } from './outbox.options';

export interface OutboxLag {
  /** Rows committed but not yet confirmed by the broker. */
  pending: number;
  /** Age of the oldest of them; 0 when none is pending. */
  oldestPendingSeconds: number;
}

const REUSE_MS = 1_000;

/** How far the relay is behind: what readiness and the outbox gauges report. */
@Injectable()
export class OutboxMonitor {
  private last?: { at: number; lag: Promise<OutboxLag> };

  constructor(
    @Inject(DRIZZLE) private readonly db: Database,
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
    const [row] = await this.db
      .select({
        pending: count(),
        oldestSeconds: sql<string | null>`extract(epoch from now() - ${min(outbox.createdAt)})`,
      })
      .from(outbox)
      .where(isNull(outbox.sentAt));
    return {
      pending: row.pending,
      oldestPendingSeconds: Math.max(0, Number(row.oldestSeconds ?? 0)),
    };
  }
}

export const outboxGauges = [
  makeGaugeProvider({
    name: MetricNames.outboxPending,
    help: 'Outbox rows committed but not yet published',
    inject: [OutboxMonitor],
    async collect(this: Gauge<string>, monitor: OutboxMonitor) {
      this.set((await monitor.lag()).pending);
    },
  }),
  makeGaugeProvider({
    name: MetricNames.outboxOldestPendingAge,
    help: 'Age of the oldest unpublished outbox row, in seconds (0 when none)',
    inject: [OutboxMonitor],
    async collect(this: Gauge<string>, monitor: OutboxMonitor) {
      this.set((await monitor.lag()).oldestPendingSeconds);
    },
  }),
];
