import { MetricNames } from '@app/telemetry';
import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { PeriodicJobs } from './periodic-jobs';

/**
 * Each job's most recent scheduled tick, beside when it last succeeded: a job whose latest tick
 * is later than its last success has not done that tick's work. An alert on the difference
 * needs no period written beside it, hourly or daily alike.
 */
export const periodicJobScheduleGauge = makeGaugeProvider({
  name: MetricNames.periodicJobLatestTick,
  help: 'The most recent tick each periodic job was due at, in seconds since the epoch (from its cron schedule)',
  labelNames: ['name'],
  inject: [PeriodicJobs],
  collect(this: Gauge<string>, jobs: PeriodicJobs) {
    this.reset();
    for (const { name, tick } of jobs.latestTicks()) this.set({ name }, tick.getTime() / 1000);
  },
});
