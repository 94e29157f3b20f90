import { logUnderCorrelationId } from '@app/correlation';
import { type BaseConfig, errorMessage, settlesWithin } from '@app/platform';
import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { JobRunsRepository } from './job-runs.repository';
import { JobTimers } from './job-timers';
import { PeriodicJobDiscovery } from './periodic-job.discovery';
import {
  type PeriodicJob,
  PeriodicJobRunner,
  type TickResult,
  tickLabel,
} from './periodic-job.runner';

export { timerName } from './job-timers';

/** setTimeout's longest delay; a tick further away is waited for in several steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The pause before asking again for a tick's lease: 1 s, doubling, at most a minute. */
const nextClaimRetry = (lastMs: number): number => Math.min(Math.max(lastMs * 2, 1_000), 60_000);

/**
 * Finds every @Periodic method of the application's providers and controllers at start and runs
 * each on its schedule. At start, a job whose last recorded tick is older than its most recent
 * scheduled tick (no replica ran it: all were down) runs that most recent tick once. Within one
 * process a job's runs never overlap: a run that outlasts later ticks is followed by the latest
 * of them, once.
 * The timer of each job's next tick is in SchedulerRegistry's timeouts, as `periodic:<job>`.
 */
@Injectable()
export class PeriodicJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PeriodicJobs');
  private readonly jobs = new Map<string, PeriodicJob>();
  /** Runs under way, with their job's name. */
  private readonly inFlight = new Map<Promise<void>, string>();
  private stopped = false;
  private readonly timers: JobTimers;

  constructor(
    private readonly discovery: PeriodicJobDiscovery,
    private readonly runner: PeriodicJobRunner,
    private readonly runs: JobRunsRepository,
    registry: SchedulerRegistry,
    private readonly config: ConfigService<BaseConfig, true>,
  ) {
    this.timers = new JobTimers(registry);
  }

  /**
   * Start-up waits for each job's look at its last tick (one query), so that once the application
   * is up every job has its timer set, or is running the tick it missed; not for that run.
   */
  async onApplicationBootstrap(): Promise<void> {
    for (const job of this.discovery.jobs()) {
      if (this.jobs.has(job.name)) throw new Error(`Two periodic jobs are named ${job.name}`);
      this.jobs.set(job.name, job);
    }
    await Promise.all([...this.jobs.values()].map((job) => this.start(job)));
  }

  /**
   * No tick starts from here on; runs under way get SHUTDOWN_TIMEOUT_MS to finish, as messages
   * in flight do. One still running then is left to the process's exit: its tick stays recorded
   * as running and is not run again (at most once), which the warning says.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const name of this.jobs.keys()) this.timers.clear(name);
    if (this.inFlight.size === 0) return;
    const timeoutMs = this.config.get('SHUTDOWN_TIMEOUT_MS', { infer: true });
    const runs = Promise.allSettled([...this.inFlight.keys()]);
    if (!(await settlesWithin(runs, timeoutMs))) {
      const running = [...new Set(this.inFlight.values())].join(', ');
      this.logger.warn(
        `Shutdown: periodic job(s) ${running} still running after ${timeoutMs} ms; not waited for, their tick is not run again`,
      );
    }
  }

  /** The names of the jobs found, in the order found. */
  names(): string[] {
    return [...this.jobs.keys()];
  }

  /** Runs `job`'s `tick` now, through its lease, as its timer would: for tests and operators. */
  runTick(name: string, tick: Date): Promise<TickResult> {
    return this.runner.run(this.named(name), tick);
  }

  /** Each job's most recent scheduled tick at or before `now` (none for a job yet to tick). */
  latestTicks(now = new Date()): { name: string; tick: Date }[] {
    return [...this.jobs.values()].flatMap((job) => {
      const tick = job.schedule.latestAtOrBefore(now);
      return tick ? [{ name: job.name, tick }] : [];
    });
  }

  /** The tick `job` missed while no replica ran, as of `now`; undefined when none (or never ran). */
  async overdueTick(name: string, now = new Date()): Promise<Date | undefined> {
    const job = this.named(name);
    const last = await this.runs.lastTick(job.name);
    // A job that never ran has missed nothing: no search through the schedule (each boot on a
    // new database would pay for it).
    if (!last) return undefined;
    const due = job.schedule.latestAtOrBefore(now);
    return due && due > last ? due : undefined;
  }

  private named(name: string): PeriodicJob {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`No periodic job is named ${name}`);
    return job;
  }

  private async start(job: PeriodicJob): Promise<void> {
    const now = new Date();
    const overdue = await this.overdueTick(job.name, now).catch((error: unknown) => {
      this.logger.warn(
        `Periodic job ${job.name}: missed ticks not checked: ${errorMessage(error)}`,
      );
      return undefined;
    });
    if (!overdue) return this.arm(job, now);
    this.tellOfTick(job, overdue, () =>
      this.logger.log(
        `Periodic job ${job.name} missed tick ${tickLabel(overdue)} while no replica ran: running it now`,
      ),
    );
    this.track(job.name, this.runThenRearm(job, overdue));
  }

  /** Sets the timer for the first tick after `after`. */
  private arm(job: PeriodicJob, after: Date): void {
    if (this.stopped) return;
    const tick = job.schedule.next(after);
    const wait = (): void => {
      const left = tick.getTime() - Date.now();
      const timer = setTimeout(
        () => (left > MAX_TIMER_MS || Date.now() < tick.getTime() ? wait() : this.fire(job, tick)),
        Math.min(Math.max(left, 0), MAX_TIMER_MS),
      );
      this.timers.keep(job.name, timer);
    };
    wait();
  }

  private fire(job: PeriodicJob, tick: Date): void {
    this.timers.clear(job.name);
    this.track(job.name, this.runThenRearm(job, tick));
  }

  private async runThenRearm(job: PeriodicJob, tick: Date, claimRetryMs = 0): Promise<void> {
    const result = await this.runner.run(job, tick, claimRetryMs > 0);
    const latest = job.schedule.latestAtOrBefore(new Date());
    if (latest && latest > tick && !this.stopped) return this.runThenRearm(job, latest);
    if (result === 'unclaimed') return this.retryClaim(job, tick, nextClaimRetry(claimRetryMs));
    this.arm(job, tick);
  }

  /**
   * A tick whose lease the database could not be asked for (a blip) is asked again after a
   * growing pause, until it is claimed or the next tick is due: every replica may have met the
   * same blip, and the boot's catch-up would not see the miss while the process runs on.
   */
  private retryClaim(job: PeriodicJob, tick: Date, delayMs: number): void {
    if (this.stopped) return;
    const story = `Periodic job ${job.name} tick ${tickLabel(tick)}`;
    if (Date.now() + delayMs >= job.schedule.next(tick).getTime()) {
      this.tellOfTick(job, tick, () =>
        this.logger.warn(`${story} not claimed before the next tick: left`),
      );
      return this.arm(job, tick);
    }
    this.tellOfTick(job, tick, () =>
      this.logger.log(`${story}: asking for it again in ${delayMs / 1000} s`),
    );
    const timer = setTimeout(() => {
      this.timers.clear(job.name);
      this.track(job.name, this.runThenRearm(job, tick, delayMs));
    }, delayMs);
    this.timers.keep(job.name, timer);
  }

  /** Logs a line about `tick` outside its run, under the tick's correlation id as its run's are. */
  private tellOfTick(job: PeriodicJob, tick: Date, line: () => void): void {
    logUnderCorrelationId(this.runner.tickId(job.name, tick), line);
  }

  /** Keeps `work` for shutdown to wait on; what it throws is logged, never left unhandled. */
  private track(name: string, work: Promise<void>): void {
    const tracked: Promise<void> = work
      .catch((error: unknown) => this.logger.warn(`Periodic jobs: ${errorMessage(error)}`))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.set(tracked, name);
  }
}
