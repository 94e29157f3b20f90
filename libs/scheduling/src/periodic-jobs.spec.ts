import { timerName } from './periodic-jobs';
import { at, jobs, registry, runs, ticksRun, usePeriodicJobs } from './periodic-jobs.fixture';

describe('PeriodicJobs', () => {
  usePeriodicJobs();

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
});
