import type { JobRunsTable } from './job-runs.table';

export const SCHEDULING_OPTIONS = Symbol('SCHEDULING_OPTIONS');

export interface SchedulingModuleOptions {
  /** The service's job_runs table (jobRunsTable(schema) in its table file). */
  table: JobRunsTable;
}
