import { CronSchedule } from './cron-schedule';
import { timerName } from './periodic-jobs';
import {
  at,
  jobs,
  registry,
  runner,
  runs,
  ticksRun,
  usePeriodicJobs,
} from './periodic-jobs.fixture';

describe('PeriodicJobs: catching up missed ticks', () => {
  usePeriodicJobs();

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
});
