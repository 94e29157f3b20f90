import { SetMetadata } from '@nestjs/common';
import { CronSchedule } from './cron-schedule';

export const PERIODIC_JOB = Symbol('PERIODIC_JOB');

export interface PeriodicOptions {
  /** IANA time zone the cron expression is read in; UTC unless given. */
  timeZone?: string;
}

export interface PeriodicJobDefinition {
  name: string;
  schedule: CronSchedule;
}

const JOB_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Runs the decorated provider or controller method on a cron schedule, each tick once across the
 * service's replicas (a lease per job and tick in the service's `job_runs` table): at most once,
 * as a run whose process dies is not run again (docs/patterns.md, "What a run means"). The method
 * gets the tick, the scheduled moment, as its argument, and may return a short summary for the
 * log line. A bad name or cron expression fails when the class is loaded, not at the first tick;
 * one on a request- or transient-scoped class, at boot.
 *
 * @example @Periodic('prune-outbox', '0 * * * *')
 */
export function Periodic(
  name: string,
  cron: string,
  options: PeriodicOptions = {},
): MethodDecorator {
  if (!JOB_NAME.test(name)) {
    throw new Error(`Periodic job name "${name}" must be kebab-case, up to 63 characters`);
  }
  const definition: PeriodicJobDefinition = {
    name,
    schedule: new CronSchedule(cron, options.timeZone),
  };
  return SetMetadata(PERIODIC_JOB, definition);
}
