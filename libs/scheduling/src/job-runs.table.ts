import { sql } from 'drizzle-orm';
import { check, type PgSchema, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const moment = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const JOB_RUN_OUTCOMES = ['running', 'succeeded', 'failed'] as const;
export type JobRunOutcome = (typeof JOB_RUN_OUTCOMES)[number];

/**
 * One row per periodic job and tick, created in the schema of the service that runs the job. The
 * primary key is the lease: the replica whose insert of (job, tick) lands runs that tick, every
 * other replica finds the row and leaves it. The row then records the run. A service's table file
 * calls this once and exports the result, so drizzle-kit migrates it with the rest.
 */
export function jobRunsTable(schema: PgSchema) {
  return schema.table(
    'job_runs',
    {
      job: text('job').notNull(),
      /** The scheduled moment this run stands for (not when it started). */
      tick: moment('tick').notNull(),
      /** Which process ran it: host name, process id and a tag of the process's own. */
      runner: text('runner').notNull(),
      startedAt: moment('started_at').notNull().defaultNow(),
      finishedAt: moment('finished_at'),
      /** `running` until it ends; a run whose process died stays `running` with no finished_at. */
      outcome: text('outcome', { enum: JOB_RUN_OUTCOMES }).notNull().default('running'),
      /** The error's message when it failed (never a stack). */
      error: text('error'),
    },
    (table) => [
      primaryKey({ columns: [table.job, table.tick] }),
      check('job_runs_outcome_check', sql`${table.outcome} in ('running', 'succeeded', 'failed')`),
    ],
  );
}

export type JobRunsTable = ReturnType<typeof jobRunsTable>;
export type JobRunRow = JobRunsTable['$inferSelect'];
