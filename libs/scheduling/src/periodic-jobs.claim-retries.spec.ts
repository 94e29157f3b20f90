import { Logger } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';
import { timerName } from './periodic-jobs';
import { jobs, registry, runner, ticksRun, usePeriodicJobs } from './periodic-jobs.fixture';

describe('PeriodicJobs: claim retries', () => {
  usePeriodicJobs();

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
});
