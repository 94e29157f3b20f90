import { type Database, DRIZZLE } from '@app/platform';
import {
  CronSchedule,
  JobRunsRepository,
  Periodic,
  PeriodicJobs,
  timerName,
} from '@app/scheduling';
import {
  effects,
  FixtureEchoController,
  FixtureRecordedController,
  isolate,
  type Isolation,
  jobRuns,
  startFixtureApp,
  waitFor,
} from '@app/testing';
import { Inject, Injectable, type INestApplication, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { and, eq, like } from 'drizzle-orm';
import request from 'supertest';

const HOURLY = '0 * * * *';

/** Writes one effect row per run, naming its tick: what "ran once" is counted by. */
@Injectable()
class CountedJob {
  constructor(@Inject(DRIZZLE) private readonly db: Database) {}

  @Periodic('counted', HOURLY)
  async count(tick: Date): Promise<string> {
    await this.db
      .insert(effects)
      .values({ messageId: `counted:${tick.toISOString()}`, value: 'ran', attempt: 1 });
    return 'counted one';
  }
}

@Injectable()
class FailingJob {
  @Periodic('always-fails', '0 0 * * *')
  report(): Promise<void> {
    return Promise.reject(new Error('the report store is down'));
  }
}

const withJobs = {
  controllers: [FixtureRecordedController, FixtureEchoController],
  providers: [CountedJob, FailingJob],
};

describe('Periodic jobs across replicas (real PostgreSQL)', () => {
  let isolation: Isolation;
  let replicas: INestApplication[] = [];
  let db: Database;

  const runsOf = (job: string) =>
    db.select().from(jobRuns).where(eq(jobRuns.job, job)).orderBy(jobRuns.tick);
  const countedEffects = () =>
    db.select().from(effects).where(like(effects.messageId, 'counted:%'));

  beforeAll(async () => {
    isolation = await isolate('periodic');
    // A first boot migrates the schema; the counted job then last ran three hours before its
    // most recent tick, as if every replica had been down since.
    const first = await startFixtureApp(isolation.env, undefined, withJobs);
    const mostRecent = new CronSchedule(HOURLY).latestAtOrBefore(new Date())!;
    await first
      .get<Database>(DRIZZLE)
      .insert(jobRuns)
      .values({
        job: 'counted',
        tick: new Date(mostRecent.getTime() - 3 * 3_600_000),
        runner: 'before the outage',
        outcome: 'succeeded',
        finishedAt: new Date(mostRecent.getTime() - 3 * 3_600_000),
      });
    await first.close();
    replicas = await Promise.all(
      [1, 2, 3].map(() => startFixtureApp(isolation.env, undefined, withJobs)),
    );
    db = replicas[0].get<Database>(DRIZZLE);
  });

  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await isolation?.dispose();
  });

  it('runs a tick missed while no replica ran once at start, with three replicas starting', async () => {
    const caughtUp = await waitFor(
      async () => {
        const runs = await runsOf('counted');
        const latest = runs.at(-1);
        return runs.length === 2 && latest?.outcome === 'succeeded' ? latest : undefined;
      },
      { description: 'the missed tick of the counted job to run' },
    );
    expect(caughtUp.tick).toEqual(new CronSchedule(HOURLY).latestAtOrBefore(caughtUp.startedAt));
    expect(await countedEffects()).toHaveLength(1);
    // Caught up: nothing is overdue any more, for any replica.
    for (const replica of replicas) {
      await expect(replica.get(PeriodicJobs).overdueTick('counted')).resolves.toBeUndefined();
    }
  });

  it('runs one tick once between three replicas asking for it together', async () => {
    const tick = new Date('2026-11-30T10:00:00Z');

    const outcomes = await Promise.all(
      replicas.map((replica) => replica.get(PeriodicJobs).runTick('counted', tick)),
    );

    expect(outcomes.sort()).toEqual(['skipped', 'skipped', 'succeeded']);
    const effectsOfTick = await db
      .select()
      .from(effects)
      .where(eq(effects.messageId, `counted:${tick.toISOString()}`));
    expect(effectsOfTick).toHaveLength(1);
    const [run] = await db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.job, 'counted'), eq(jobRuns.tick, tick)));
    expect(run).toMatchObject({ outcome: 'succeeded', error: null });
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt.getTime());
    // Asked again later, the tick is not run again.
    await expect(replicas[1].get(PeriodicJobs).runTick('counted', tick)).resolves.toBe('skipped');
  });

  it("asked again after a failed claim, takes its own lease on a run not started, no one else's", async () => {
    const runs = replicas[0].get(JobRunsRepository);
    const tick = new Date('2026-11-29T10:00:00Z');
    const ofTick = and(eq(jobRuns.job, 'counted'), eq(jobRuns.tick, tick));

    // The insert commits, and its answer is lost on the way back: the claim "failed".
    await expect(runs.claim('counted', tick)).resolves.toBe(true);
    await expect(runs.claim('counted', tick)).resolves.toBe(false);
    await expect(runs.claim('counted', tick, true)).resolves.toBe(true);
    // Not another replica's, in the same process as here.
    await expect(replicas[1].get(JobRunsRepository).claim('counted', tick, true)).resolves.toBe(
      false,
    );
    const [{ runner: ours }] = await db.select().from(jobRuns).where(ofTick);

    await db.update(jobRuns).set({ runner: 'another-host:1' }).where(ofTick);
    await expect(runs.claim('counted', tick, true)).resolves.toBe(false);
    await db.update(jobRuns).set({ runner: ours }).where(ofTick);
    await runs.finish('counted', tick, 'succeeded');
    await expect(runs.claim('counted', tick, true)).resolves.toBe(false);
  });

  it('records a failed run with its error, in job_runs, a warning and the metrics', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const tick = new Date('2026-11-30T00:00:00Z');

    await expect(replicas[2].get(PeriodicJobs).runTick('always-fails', tick)).resolves.toBe(
      'failed',
    );

    const [run] = await runsOf('always-fails');
    expect(run).toMatchObject({ tick, outcome: 'failed', error: 'the report store is down' });
    expect(run.finishedAt).toBeInstanceOf(Date);
    const warning = warn.mock.calls
      .map(([message]) => String(message))
      .find((m) => /always-fails/.test(m));
    expect(warning).toMatch(
      /^Periodic job always-fails tick 2026-11-30T00:00Z failed after \d+ ms: the report store is down/,
    );
    expect(warning).not.toMatch(/\n\s+at /);
    const metrics = await request(replicas[2].getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /periodic_job_runs_total\{name="always-fails",outcome="failed"\} 1\b/,
    );
    expect(metrics.text).toMatch(
      /periodic_job_duration_seconds_count\{name="always-fails",outcome="failed"\} 1\b/,
    );
    // Not retried within its tick: the next tick runs as usual.
    await expect(replicas[0].get(PeriodicJobs).runTick('always-fails', tick)).resolves.toBe(
      'skipped',
    );
    warn.mockRestore();
  });

  it('reports the tick of each job’s latest success on any replica, from job_runs', async () => {
    const jobs = replicas[0].get(PeriodicJobs);
    await expect(jobs.runTick('counted', new Date('2026-11-29T00:00:00Z'))).resolves.toBe(
      'succeeded',
    );
    await expect(jobs.runTick('always-fails', new Date('2026-11-29T00:00:00Z'))).resolves.toBe(
      'failed',
    );
    const metrics = await request(replicas[1].getHttpServer()).get('/metrics').expect(200);
    const succeeded = await db
      .select({ tick: jobRuns.tick, finishedAt: jobRuns.finishedAt })
      .from(jobRuns)
      .where(and(eq(jobRuns.job, 'counted'), eq(jobRuns.outcome, 'succeeded')));
    const latest = succeeded.reduce((a, b) => (a.tick > b.tick ? a : b));
    // The scheduled moment, on the clock of the latest tick it is held against; not the end of
    // the run, which comes after it.
    const seconds = latest.tick.getTime() / 1000;
    expect(latest.finishedAt!.getTime()).toBeGreaterThan(latest.tick.getTime());
    const lastSuccess = (job: string): number | undefined => {
      const prefix = `periodic_job_last_success_timestamp_seconds{name="${job}"} `;
      const line = metrics.text.split('\n').find((l) => l.startsWith(prefix));
      return line === undefined ? undefined : Number(line.slice(prefix.length));
    };
    expect(lastSuccess('counted')).toBeCloseTo(seconds, 0);
    // Ran and never succeeded: 0, so that the behind-schedule alert sees it.
    expect(lastSuccess('always-fails')).toBe(0);
  });

  it('keeps each job’s next tick in SchedulerRegistry, the pruners’ included', () => {
    const jobs = replicas[0].get(PeriodicJobs);
    expect(jobs.names().sort()).toEqual(['always-fails', 'counted', 'prune-inbox', 'prune-outbox']);
    const timeouts = replicas[0].get(SchedulerRegistry).getTimeouts();
    expect(timeouts.sort()).toEqual(jobs.names().map(timerName).sort());
  });
});
