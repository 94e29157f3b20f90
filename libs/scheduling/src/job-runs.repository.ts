import { type Database, DRIZZLE } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { and, eq, lt, max, sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobRunOutcome } from './job-runs.table';
import { SCHEDULING_OPTIONS, type SchedulingModuleOptions } from './scheduling.options';

/** Runs older than this before the latest are deleted as new ones finish: history, not state. */
export const JOB_RUNS_KEPT_DAYS = 30;

/**
 * Which process claimed a run: its host and pid, and a tag of its own, as two applications in one
 * process (tests' replicas) or two containers alike in both must not take each other's leases.
 */
const runnerName = (): string => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

/**
 * The job_runs table, outside any caller's transaction: a claim must be visible to the other
 * replicas at once, and a run's record must survive a job that rolls its own work back.
 */
@Injectable()
export class JobRunsRepository {
  private readonly runner = runnerName();

  constructor(
    @Inject(DRIZZLE) private readonly db: Database,
    @Inject(SCHEDULING_OPTIONS) private readonly options: SchedulingModuleOptions,
  ) {}

  /**
   * Takes the lease on (job, tick); false when another replica (or an earlier run) has it. Asking
   * again after a claim that failed (`again`), a lease this process holds on a run not started
   * counts as taken: the insert may have committed with its answer lost on the way back.
   */
  async claim(job: string, tick: Date, again = false): Promise<boolean> {
    const runs = this.options.table;
    const insert = this.db.insert(runs).values({ job, tick, runner: this.runner });
    const claimed = await (
      again
        ? insert.onConflictDoUpdate({
            target: [runs.job, runs.tick],
            set: { runner: this.runner },
            setWhere: and(eq(runs.runner, this.runner), eq(runs.outcome, 'running')),
          })
        : insert.onConflictDoNothing()
    ).returning({ job: runs.job });
    return claimed.length > 0;
  }

  /** Records how the run ended, and forgets this job's runs long before it. */
  async finish(job: string, tick: Date, outcome: JobRunOutcome, error?: string): Promise<void> {
    const runs = this.options.table;
    await this.db
      .update(runs)
      .set({ outcome, error: error ?? null, finishedAt: sql`now()` })
      .where(and(eq(runs.job, job), eq(runs.tick, tick)));
    await this.db
      .delete(runs)
      .where(
        and(
          eq(runs.job, job),
          lt(runs.tick, sql`${tick}::timestamptz - make_interval(days => ${JOB_RUNS_KEPT_DAYS})`),
        ),
      );
  }

  /** The latest tick any replica claimed for `job`, or undefined when it never ran. */
  async lastTick(job: string): Promise<Date | undefined> {
    const runs = this.options.table;
    const [row] = await this.db
      .select({ tick: max(runs.tick) })
      .from(runs)
      .where(eq(runs.job, job));
    return row?.tick ?? undefined;
  }

  /**
   * The tick of each job's latest successful run, in seconds since the epoch: a scheduled moment,
   * as the latest tick it is held against, not the database's clock at the run's end (a run
   * that ended after a later tick would cover for that tick, a database clock behind the
   * replicas' would never catch up with it). 0 for a job whose recorded runs all failed (or are
   * running): absent, it would drop out of the behind-schedule alert, one that never succeeded
   * or whose last success was pruned after JOB_RUNS_KEPT_DAYS of failures.
   */
  async lastSuccesses(): Promise<{ job: string; seconds: number }[]> {
    const runs = this.options.table;
    const rows = await this.db
      .select({
        job: runs.job,
        seconds: sql<string>`coalesce(extract(epoch from max(${runs.tick}) filter (where ${runs.outcome} = 'succeeded')), 0)`,
      })
      .from(runs)
      .groupBy(runs.job);
    return rows.map((row) => ({ job: row.job, seconds: Number(row.seconds) }));
  }
}
