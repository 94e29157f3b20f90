import { acceptOrCreateCorrelationId, CorrelationContext } from '@app/correlation';
import { errorMessage, SERVICE_NAME } from '@app/platform';
import type { PeriodicJobOutcome } from '@app/telemetry';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { JobRunsRepository } from './job-runs.repository';
import { PeriodicJobMetrics } from './periodic-job.metrics';
import type { PeriodicJobDefinition } from './periodic.decorator';

/** A discovered @Periodic method, bound to its provider. */
export interface PeriodicJob extends PeriodicJobDefinition {
  run: (tick: Date) => Promise<unknown>;
}

/** "2026-12-03T10:00Z", or with seconds when the tick has them. */
export function tickLabel(tick: Date): string {
  const iso = tick.toISOString();
  return iso.endsWith(':00.000Z') ? `${iso.slice(0, 16)}Z` : `${iso.slice(0, 19)}Z`;
}

/**
 * The correlation id of a service's job's tick ("order.prune-outbox:2026-12-03T10:00Z"): the same
 * on every replica and every claim of it, so one search finds who ran it, who left it and why;
 * the service's name keeps apart the ticks of the jobs every service runs (the pruners). Names
 * that no correlation id could hold get a new id instead.
 */
export function tickCorrelationId(service: string, jobName: string, tick: Date): string {
  return acceptOrCreateCorrelationId(`${service}.${jobName}:${tickLabel(tick)}`);
}

/**
 * What became of a tick here: its outcome, or `unclaimed` when the database could not be asked
 * for its lease (counted as failed); the tick has not run, and PeriodicJobs asks again.
 */
export type TickResult = PeriodicJobOutcome | 'unclaimed';

/**
 * Runs one tick of one job on this replica, if it wins the tick's lease: records the outcome in
 * job_runs, the metrics, and one log line ("Periodic job prune-outbox tick 2026-12-03T10:00Z ran
 * in 12 ms"). A failed run is recorded and logged as a warning with its message; it is not
 * retried: the next tick runs as usual. Never throws.
 */
@Injectable()
export class PeriodicJobRunner {
  private readonly logger = new Logger('PeriodicJobs');

  constructor(
    private readonly runs: JobRunsRepository,
    private readonly metrics: PeriodicJobMetrics,
    private readonly correlation: CorrelationContext,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  /** The correlation id every line of `tick` of job `jobName` carries (tickCorrelationId). */
  tickId(jobName: string, tick: Date): string {
    return tickCorrelationId(this.service, jobName, tick);
  }

  /** `again`: this tick's claim failed before (see JobRunsRepository.claim). */
  run(job: PeriodicJob, tick: Date, again = false): Promise<TickResult> {
    const id = this.tickId(job.name, tick);
    // Its claim's lines, the run's own and its summary line alike carry the tick's id.
    return this.correlation.run({ correlationId: id, causationId: id }, () =>
      this.claimThenRun(job, tick, again),
    );
  }

  private async claimThenRun(job: PeriodicJob, tick: Date, again: boolean): Promise<TickResult> {
    const story = `Periodic job ${job.name} tick ${tickLabel(tick)}`;
    try {
      if (!(await this.runs.claim(job.name, tick, again))) {
        this.logger.debug(`${story}: another replica has it`);
        this.metrics.tick(job.name, 'skipped');
        return 'skipped';
      }
    } catch (error) {
      this.logger.warn(`${story} could not be claimed: ${errorMessage(error)}`);
      this.metrics.tick(job.name, 'failed');
      return 'unclaimed';
    }
    return this.runClaimed(job, tick, story);
  }

  private async runClaimed(job: PeriodicJob, tick: Date, story: string) {
    const started = performance.now();
    const { outcome, summary, error } = await job.run(tick).then(
      (result) => ({ outcome: 'succeeded' as const, summary: summaryOf(result), error: undefined }),
      (thrown: unknown) => ({
        outcome: 'failed' as const,
        summary: '',
        error: errorMessage(thrown),
      }),
    );
    const ms = Math.round(performance.now() - started);
    this.metrics.tick(job.name, outcome, ms / 1000);
    await this.runs
      .finish(job.name, tick, outcome, error)
      .catch((recording: unknown) =>
        this.logger.warn(`${story}: its outcome could not be recorded: ${errorMessage(recording)}`),
      );
    if (outcome === 'succeeded') this.logger.log(`${story} ran in ${ms} ms${summary}`);
    else this.logger.warn(`${story} failed after ${ms} ms: ${error}; the next tick runs as usual`);
    return outcome;
  }
}

/** What a job returned, as the end of its log line: a string is its own summary. */
function summaryOf(result: unknown): string {
  return typeof result === 'string' && result.length > 0 ? `: ${result}` : '';
}
