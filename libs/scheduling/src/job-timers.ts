import type { SchedulerRegistry } from '@nestjs/schedule';

/** The name of a job's timer for its next tick in @nestjs/schedule's SchedulerRegistry. */
export const timerName = (job: string): string => `periodic:${job}`;

/** Each job's one pending timer, kept in SchedulerRegistry's timeouts as `periodic:<job>`. */
export class JobTimers {
  constructor(private readonly registry: SchedulerRegistry) {}

  /** Keeps `timer` as `job`'s, in place of the one before. */
  keep(job: string, timer: NodeJS.Timeout): void {
    // The service's server keeps the process alive; a pending tick must not.
    timer.unref();
    this.clear(job);
    this.registry.addTimeout(timerName(job), timer);
  }

  clear(job: string): void {
    if (this.registry.doesExist('timeout', timerName(job))) {
      this.registry.deleteTimeout(timerName(job));
    }
  }
}
