export * from './cron-schedule';
export * from './job-runs.repository';
export * from './job-runs.table';
export * from './periodic-job.runner';
export * from './periodic-jobs';
export * from './periodic.decorator';
export * from './scheduling.module';
export * from './scheduling.options';
