import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { JobRunsRepository } from './job-runs.repository';
import { PeriodicJobMetrics, periodicJobMetricProviders } from './periodic-job.metrics';
import { PeriodicJobDiscovery } from './periodic-job.discovery';
import { PeriodicJobRunner } from './periodic-job.runner';
import { periodicJobScheduleGauge } from './periodic-job-schedule.gauge';
import { PeriodicJobs } from './periodic-jobs';
import { SCHEDULING_OPTIONS, type SchedulingModuleOptions } from './scheduling.options';

/**
 * Periodic jobs: runs every @Periodic method of the application on its cron schedule, each tick
 * once across replicas, recorded in the service's job_runs table and in metrics.
 */
@Global()
@Module({})
export class SchedulingModule {
  static forRoot(options: SchedulingModuleOptions): DynamicModule {
    return {
      module: SchedulingModule,
      imports: [DiscoveryModule, ScheduleModule.forRoot()],
      providers: [
        { provide: SCHEDULING_OPTIONS, useValue: options },
        JobRunsRepository,
        ...periodicJobMetricProviders,
        PeriodicJobMetrics,
        PeriodicJobDiscovery,
        PeriodicJobRunner,
        PeriodicJobs,
        periodicJobScheduleGauge,
      ],
      exports: [PeriodicJobs],
    };
  }
}
