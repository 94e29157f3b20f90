// Shared by periodic-jobs.spec.ts and the periodic-jobs.*.spec.ts files. Each file calls
// usePeriodicJobs once, inside its describe: jest gives every test file its own copy of this
// module, so the bindings below belong to that file, and are set afresh before each of its tests.
import { Injectable, Logger } from '@nestjs/common';
import { type DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { BaseConfig } from '@app/platform';
import type { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { JobRunsRepository } from './job-runs.repository';
import { Periodic } from './periodic.decorator';
import { PeriodicJobDiscovery } from './periodic-job.discovery';
import type { PeriodicJobRunner } from './periodic-job.runner';
import { PeriodicJobs } from './periodic-jobs';

@Injectable()
export class HourlyJob {
  @Periodic('hourly', '0 * * * *')
  work(): Promise<void> {
    return Promise.resolve();
  }
}

export const at = (iso: string) => new Date(iso);

/** What the discovery service gives: the classes' wrappers, singletons unless said. */
export const wrapped = (instance: object, singleton = true) => ({
  instance,
  name: instance.constructor.name,
  metatype: instance.constructor,
  isDependencyTreeStatic: () => singleton,
});

export const SHUTDOWN_TIMEOUT_MS = 5_000;

export let runner: jest.Mocked<Pick<PeriodicJobRunner, 'run' | 'tickId'>>;
export let runs: jest.Mocked<Pick<JobRunsRepository, 'lastTick'>>;
export let registry: SchedulerRegistry;
export let jobs: PeriodicJobs;
export const ticksRun = () => runner.run.mock.calls.map(([, tick]) => tick.toISOString());

/** PeriodicJobs over these providers (and controllers), the runner and repository faked. */
export const periodicJobs = (providers: object[], controllers: object[] = []) =>
  new PeriodicJobs(
    new PeriodicJobDiscovery(
      {
        getProviders: () => providers,
        getControllers: () => controllers,
      } as unknown as DiscoveryService,
      new MetadataScanner(),
      new Reflector(),
    ),
    runner as unknown as PeriodicJobRunner,
    runs as unknown as JobRunsRepository,
    registry,
    { get: () => SHUTDOWN_TIMEOUT_MS } as unknown as ConfigService<BaseConfig, true>,
  );

/**
 * Before each test: fake timers two seconds before 10:00, a runner whose runs succeed, no last
 * tick on record, and `jobs` over one HourlyJob, not started; after each, `jobs` shut down.
 */
export function usePeriodicJobs(): void {
  beforeEach(() => {
    jest.useFakeTimers({ now: at('2026-12-03T09:59:58Z') });
    runner = {
      run: jest.fn().mockResolvedValue('succeeded'),
      tickId: jest.fn((name: string, tick: Date) => `${name}:${tick.toISOString()}`),
    };
    runs = { lastTick: jest.fn().mockResolvedValue(undefined) };
    registry = new SchedulerRegistry();
    jobs = periodicJobs([wrapped(new HourlyJob())]);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    // A run a test left hanging holds shutdown for SHUTDOWN_TIMEOUT_MS.
    const stopping = jobs.beforeApplicationShutdown();
    await jest.advanceTimersByTimeAsync(SHUTDOWN_TIMEOUT_MS);
    await stopping;
    jest.useRealTimers();
    jest.restoreAllMocks();
  });
}
