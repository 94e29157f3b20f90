import { Logger } from '@nestjs/common';
import {
  at,
  jobs,
  registry,
  runner,
  runs,
  SHUTDOWN_TIMEOUT_MS,
  ticksRun,
  usePeriodicJobs,
} from './periodic-jobs.fixture';

describe('PeriodicJobs: shutdown', () => {
  usePeriodicJobs();

  it('stops its timers at shutdown', async () => {
    await jobs.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);

    await jobs.beforeApplicationShutdown();
    await jest.advanceTimersByTimeAsync(3_600_000);

    expect(ticksRun()).toEqual([]);
    expect(registry.getTimeouts()).toEqual([]);
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
