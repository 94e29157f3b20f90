import type { CorrelationContext } from '@app/correlation';
import { Logger } from '@nestjs/common';
import { CronSchedule } from './cron-schedule';
import type { JobRunsRepository } from './job-runs.repository';
import type { PeriodicJobMetrics } from './periodic-job.metrics';
import {
  type PeriodicJob,
  PeriodicJobRunner,
  tickCorrelationId,
  tickLabel,
} from './periodic-job.runner';

const TICK = new Date('2026-12-03T10:00:00Z');

describe('PeriodicJobRunner', () => {
  let runs: jest.Mocked<Pick<JobRunsRepository, 'claim' | 'finish'>>;
  let metrics: jest.Mocked<Pick<PeriodicJobMetrics, 'tick'>>;
  let runner: PeriodicJobRunner;
  let log: jest.SpyInstance;
  let warn: jest.SpyInstance;

  const job = (run: PeriodicJob['run']): PeriodicJob => ({
    name: 'prune-outbox',
    schedule: new CronSchedule('0 * * * *'),
    run,
  });

  beforeEach(() => {
    runs = {
      claim: jest.fn().mockResolvedValue(true),
      finish: jest.fn().mockResolvedValue(undefined),
    };
    metrics = { tick: jest.fn() };
    const correlation = { run: jest.fn((_ids, work: () => Promise<unknown>) => work()) };
    runner = new PeriodicJobRunner(
      runs as unknown as JobRunsRepository,
      metrics as unknown as PeriodicJobMetrics,
      correlation as unknown as CorrelationContext,
      'order',
    );
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('runs a tick it wins with the tick, records success and tells the story', async () => {
    const run = jest.fn().mockResolvedValue('pruned 3 sent outbox row(s)');

    await expect(runner.run(job(run), TICK)).resolves.toBe('succeeded');

    expect(run).toHaveBeenCalledWith(TICK);
    expect(runs.finish).toHaveBeenCalledWith('prune-outbox', TICK, 'succeeded', undefined);
    expect(metrics.tick).toHaveBeenCalledWith('prune-outbox', 'succeeded', expect.any(Number));
    expect(log).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Periodic job prune-outbox tick 2026-12-03T10:00Z ran in \d+ ms: pruned 3 sent outbox row\(s\)$/,
      ),
    );
  });

  it("writes every line of a tick, its claim's too, under the tick's correlation id", async () => {
    let inContext = false;
    const ids: unknown[] = [];
    const correlation = {
      run: async (given: unknown, work: () => Promise<unknown>) => {
        ids.push(given);
        inContext = true;
        try {
          return await work();
        } finally {
          inContext = false;
        }
      },
    };
    const inside = new PeriodicJobRunner(
      runs as unknown as JobRunsRepository,
      metrics as unknown as PeriodicJobMetrics,
      correlation as unknown as CorrelationContext,
      'order',
    );
    const loggedInContext: boolean[] = [];
    log.mockImplementation(() => loggedInContext.push(inContext));
    warn.mockImplementation(() => loggedInContext.push(inContext));
    await inside.run(job(jest.fn().mockResolvedValue('done')), TICK);
    await inside.run(job(jest.fn().mockRejectedValue(new Error('boom'))), TICK);
    runs.claim.mockRejectedValueOnce(new Error('connection lost'));
    await inside.run(job(jest.fn()), TICK);
    expect(loggedInContext).toEqual([true, true, true]);
    const tickId = 'order.prune-outbox:2026-12-03T10:00Z';
    expect(ids).toEqual(Array(3).fill({ correlationId: tickId, causationId: tickId }));
  });

  it('leaves a tick another replica holds, counting it as skipped', async () => {
    runs.claim.mockResolvedValue(false);
    const run = jest.fn();

    await expect(runner.run(job(run), TICK)).resolves.toBe('skipped');

    expect(run).not.toHaveBeenCalled();
    expect(runs.finish).not.toHaveBeenCalled();
    expect(metrics.tick).toHaveBeenCalledWith('prune-outbox', 'skipped');
  });

  it('records a failure with its message and warns without a stack', async () => {
    const run = jest.fn().mockRejectedValue(new Error('database is read-only'));

    await expect(runner.run(job(run), TICK)).resolves.toBe('failed');

    expect(runs.finish).toHaveBeenCalledWith(
      'prune-outbox',
      TICK,
      'failed',
      'database is read-only',
    );
    expect(metrics.tick).toHaveBeenCalledWith('prune-outbox', 'failed', expect.any(Number));
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Periodic job prune-outbox tick 2026-12-03T10:00Z failed after \d+ ms: database is read-only; the next tick runs as usual$/,
      ),
    );
    expect(log).not.toHaveBeenCalled();
  });

  it('does not run when the lease cannot be taken, says why, and reports the tick unclaimed', async () => {
    runs.claim.mockRejectedValue(new Error('connection refused'));
    const run = jest.fn();

    await expect(runner.run(job(run), TICK)).resolves.toBe('unclaimed');

    expect(run).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(
      'Periodic job prune-outbox tick 2026-12-03T10:00Z could not be claimed: connection refused',
    );
  });

  it('still logs the run when its outcome cannot be recorded', async () => {
    runs.finish.mockRejectedValue(new Error('connection lost'));

    await expect(runner.run(job(jest.fn().mockResolvedValue(undefined)), TICK)).resolves.toBe(
      'succeeded',
    );

    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('could not be recorded: connection lost'),
    );
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/ran in \d+ ms$/));
  });
});

describe('tickLabel', () => {
  it('names a tick to the minute, or to the second when it has seconds', () => {
    expect(tickLabel(new Date('2026-12-03T10:00:00Z'))).toBe('2026-12-03T10:00Z');
    expect(tickLabel(new Date('2026-12-03T10:00:30Z'))).toBe('2026-12-03T10:00:30Z');
  });
});

describe('tickCorrelationId', () => {
  it("is the service's and the job's names and the tick, the same on every replica", () => {
    expect(tickCorrelationId('notification', 'daily-summary', TICK)).toBe(
      'notification.daily-summary:2026-12-03T10:00Z',
    );
  });

  it('is a new id when the names could not stand in a correlation id', () => {
    expect(tickCorrelationId('notification', 'daily summary', TICK)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
