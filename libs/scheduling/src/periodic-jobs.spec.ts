import { Injectable, Logger } from '@nestjs/common';
import { type DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { BaseConfig } from '@app/platform';
import type { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ClsServiceManager } from 'nestjs-cls';
import { CronSchedule } from './cron-schedule';
import type { JobRunsRepository } from './job-runs.repository';
import { Periodic } from './periodic.decorator';
import { PeriodicJobDiscovery } from './periodic-job.discovery';
import type { PeriodicJobRunner } from './periodic-job.runner';
import { PeriodicJobs, timerName } from './periodic-jobs';

@Injectable()
class HourlyJob {
  @Periodic('hourly', '0 * * * *')
  work(): Promise<void> {
    return Promise.resolve();
  }
}

const at = (iso: string) => new Date(iso);

/** What the discovery service gives: the classes' wrappers, singletons unless said. */
const wrapped = (instance: object, singleton = true) => ({
  instance,
  name: instance.constructor.name,
  metatype: instance.constructor,
  isDependencyTreeStatic: () => singleton,
});

const SHUTDOWN_TIMEOUT_MS = 5_000;

describe('PeriodicJobs', () => {
  /** PeriodicJobs over these providers (and controllers), the runner and repository faked. */
  const periodicJobs = (providers: object[], controllers: object[] = []) =>
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
  let runner: jest.Mocked<Pick<PeriodicJobRunner, 'run' | 'tickId'>>;
  let runs: jest.Mocked<Pick<JobRunsRepository, 'lastTick'>>;
  let registry: SchedulerRegistry;
  let jobs: PeriodicJobs;
  const ticksRun = () => runner.run.mock.calls.map(([, tick]) => tick.toISOString());

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

  it('runs each tick at its time, with the tick, and waits for the next', async () => {
    await jobs.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(ticksRun()).toEqual([]);
    expect(registry.getTimeouts()).toEqual([timerName('hourly')]);

    await jest.advanceTimersByTimeAsync(1_000);
    expect(ticksRun()).toEqual(['2026-12-03T10:00:00.000Z']);

    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(ticksRun()).toEqual(['2026-12-03T10:00:00.000Z', '2026-12-03T11:00:00.000Z']);
  });

  it('tells each job’s most recent tick as of a moment: what its last success is held against', async () => {
    await jobs.onApplicationBootstrap();
    expect(jobs.latestTicks(at('2026-12-03T10:59:59Z'))).toEqual([
      { name: 'hourly', tick: at('2026-12-03T10:00:00Z') },
    ]);
    expect(jobs.latestTicks(at('2026-12-03T11:00:00Z'))).toEqual([
      { name: 'hourly', tick: at('2026-12-03T11:00:00Z') },
    ]);
  });

  it('runs the most recent missed tick once at start, then keeps to the schedule', async () => {
    runs.lastTick.mockResolvedValue(at('2026-12-03T06:00:00Z'));

    await jobs.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    expect(ticksRun()).toEqual(['2026-12-03T09:00:00.000Z']);

    await jest.advanceTimersByTimeAsync(2_000);
    expect(ticksRun()).toEqual(['2026-12-03T09:00:00.000Z', '2026-12-03T10:00:00.000Z']);
  });

  it('does not look for a missed tick of a job that has never run', async () => {
    const search = jest.spyOn(CronSchedule.prototype, 'latestAtOrBefore');

    await jobs.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);

    expect(search).not.toHaveBeenCalled();
    expect(ticksRun()).toEqual([]);
    expect(registry.getTimeouts()).toEqual([timerName('hourly')]);
  });

  it('catches up once, on the latest, after a run that outlasted later ticks', async () => {
    runner.run.mockImplementationOnce(async () => {
      await new Promise((resolve) => setTimeout(resolve, 3 * 3_600_000 + 60_000));
      return 'succeeded';
    });

    await jobs.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(2_000 + 3 * 3_600_000 + 60_000);

    expect(ticksRun()).toEqual(['2026-12-03T10:00:00.000Z', '2026-12-03T13:00:00.000Z']);
  });

  it('asks again for a tick it could not claim, after 1 s, 2 s…, until the run is claimed', async () => {
    runner.run.mockResolvedValueOnce('unclaimed').mockResolvedValueOnce('unclaimed');
    const loggedUnder: unknown[] = [];
    jest
      .mocked(Logger.prototype.log)
      .mockImplementation(() => loggedUnder.push(ClsServiceManager.getClsService().getId()));
    await jobs.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(2_000);
    expect(ticksRun()).toEqual(['2026-12-03T10:00:00.000Z']);

    await jest.advanceTimersByTimeAsync(1_000);
    expect(ticksRun()).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1_999);
    expect(ticksRun()).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(ticksRun()).toEqual(Array(3).fill('2026-12-03T10:00:00.000Z'));
    // Asked again, a lease of its own whose answer was lost counts as taken.
    expect(runner.run.mock.calls.map(([, , again]) => again)).toEqual([false, true, true]);
    // "Asking for it again" twice, under the tick's id as the run's own lines.
    expect(loggedUnder).toEqual(Array(2).fill('hourly:2026-12-03T10:00:00.000Z'));

    // Claimed at last: the next run is the next tick's.
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(ticksRun().slice(3)).toEqual(['2026-12-03T11:00:00.000Z']);
  });

  it('gives up on a tick it could not claim once the next one is due, and runs that', async () => {
    runner.run.mockResolvedValue('unclaimed');
    await jobs.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(2_000 + 3_600_000);

    const ticks = ticksRun();
    expect(ticks.filter((tick) => tick === '2026-12-03T10:00:00.000Z').length).toBeGreaterThan(5);
    expect(ticks.at(-1)).toBe('2026-12-03T11:00:00.000Z');
    expect(registry.getTimeouts()).toEqual([timerName('hourly')]);
  });

  it('stops its timers at shutdown', async () => {
    await jobs.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);

    await jobs.beforeApplicationShutdown();
    await jest.advanceTimersByTimeAsync(3_600_000);

    expect(ticksRun()).toEqual([]);
    expect(registry.getTimeouts()).toEqual([]);
  });

  it('has each timer set once start-up is over, however slow the look at the last tick', async () => {
    let answer: (tick: Date | undefined) => void = () => undefined;
    runs.lastTick.mockReturnValue(new Promise((resolve) => (answer = resolve)));

    const started = jobs.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    expect(registry.getTimeouts()).toEqual([]);
    answer(undefined);
    await started;

    expect(registry.getTimeouts()).toEqual([timerName('hourly')]);
  });

  it('refuses two jobs of one name', async () => {
    const twice = periodicJobs([wrapped(new HourlyJob()), wrapped(new HourlyJob())]);
    await expect(twice.onApplicationBootstrap()).rejects.toThrow(
      'Two periodic jobs are named hourly',
    );
  });

  it('finds once the jobs of one instance provided under a second token (useExisting)', async () => {
    const instance = new HourlyJob();
    const aliased = periodicJobs([wrapped(instance), wrapped(instance)]);
    await aliased.onApplicationBootstrap();
    expect(aliased.names()).toEqual(['hourly']);
    await aliased.beforeApplicationShutdown();
  });

  it('runs a job declared on a controller, as on a provider', async () => {
    const onController = periodicJobs([], [wrapped(new HourlyJob())]);
    await onController.onApplicationBootstrap();
    expect(onController.names()).toEqual(['hourly']);
    await onController.beforeApplicationShutdown();
  });

  it('stops boot on a job of a request-scoped class, naming it, instead of never running it', async () => {
    const scoped = periodicJobs([{ ...wrapped(new HourlyJob(), false), instance: undefined }]);
    await expect(scoped.onApplicationBootstrap()).rejects.toThrow(
      '@Periodic HourlyJob.work: a periodic job needs a singleton',
    );
  });

  it('waits for a run under way at shutdown, at most SHUTDOWN_TIMEOUT_MS, and says which job it left', async () => {
    runs.lastTick.mockResolvedValue(at('2026-12-03T06:00:00Z'));
    runner.run.mockReturnValue(new Promise(() => undefined));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await jobs.onApplicationBootstrap();

    let stopped = false;
    const stopping = jobs.beforeApplicationShutdown().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(SHUTDOWN_TIMEOUT_MS - 1);
    expect(stopped).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await stopping;
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('periodic job(s) hourly still running'),
    );
  });
});

describe('@Periodic', () => {
  it('refuses a name that is not kebab-case and a cron expression that does not parse', () => {
    expect(() => Periodic('Prune Outbox', '0 * * * *')).toThrow(/kebab-case/);
    expect(() => Periodic('prune-outbox', 'hourly please')).toThrow();
  });
});
