import { MetricNames, type PeriodicJobOutcome, readForGauge } from '@app/telemetry';
import { Injectable } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { JobRunsRepository } from './job-runs.repository';

// The job's label is `name`: Prometheus gives every scraped series a `job` label of its own.
export const periodicJobMetricProviders = [
  makeCounterProvider({
    name: MetricNames.periodicJobRuns,
    help: 'Ticks of periodic jobs seen by this replica, by name and outcome (succeeded, failed, skipped: another replica had it)',
    labelNames: ['name', 'outcome'],
  }),
  makeHistogramProvider({
    name: MetricNames.periodicJobDuration,
    help: 'How long the periodic job runs of this replica took, by name and outcome',
    labelNames: ['name', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
  }),
  makeGaugeProvider({
    name: MetricNames.periodicJobLastSuccess,
    help: 'The tick (scheduled moment) of the latest successful run of each periodic job on any replica, in seconds since the epoch (from job_runs); 0 when none of its recorded runs succeeded',
    labelNames: ['name'],
    inject: [JobRunsRepository],
    async collect(this: Gauge<string>, runs: JobRunsRepository) {
      const successes = await readForGauge(() => runs.lastSuccesses());
      if (!successes) return;
      this.reset();
      for (const { job, seconds } of successes) this.set({ name: job }, seconds);
    },
  }),
];

/** What the periodic job runner records per tick. */
@Injectable()
export class PeriodicJobMetrics {
  constructor(
    @InjectMetric(MetricNames.periodicJobRuns) private readonly runs: Counter<string>,
    @InjectMetric(MetricNames.periodicJobDuration) private readonly duration: Histogram<string>,
  ) {}

  tick(job: string, outcome: PeriodicJobOutcome, seconds?: number): void {
    this.runs.inc({ name: job, outcome });
    if (seconds !== undefined) this.duration.observe({ name: job, outcome }, seconds);
  }
}
