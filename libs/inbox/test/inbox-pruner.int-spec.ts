import { InboxPruner } from '@app/inbox';
import { type Database, DRIZZLE } from '@app/platform';
import { PeriodicJobs, timerName } from '@app/scheduling';
import { inbox, isolate, type Isolation, startFixtureApp } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

describe('Pruning the inbox (real PostgreSQL)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let db: Database;

  beforeAll(async () => {
    isolation = await isolate('prune-inbox');
    app = await startFixtureApp({
      ...isolation.env,
      INBOX_RETENTION_HOURS: '48',
      EVENT_LOG_MAX_AGE: '48h',
    });
    db = app.get<Database>(DRIZZLE);
  });

  afterAll(async () => {
    await app?.close();
    await isolation?.dispose();
  });

  it('deletes rows past their retention, and nothing else', async () => {
    const handler = 'fixture.events#fixture.recorded';
    await db.insert(inbox).values([
      { messageId: 'old', handler, processedAt: hoursAgo(49) },
      { messageId: 'recent', handler, processedAt: hoursAgo(47) },
    ]);

    await expect(app.get(InboxPruner).prune()).resolves.toBe(1);

    const remembered = await db.select({ messageId: inbox.messageId }).from(inbox);
    expect(remembered).toEqual([{ messageId: 'recent' }]);
  });

  it('runs hourly as the prune-inbox periodic job, once per tick across replicas', async () => {
    const handler = 'fixture.events#fixture.recorded';
    await db.insert(inbox).values({ messageId: 'expired', handler, processedAt: hoursAgo(49) });
    const jobs = app.get(PeriodicJobs);
    const tick = new Date('2026-11-30T10:00:00Z');

    await expect(jobs.runTick('prune-inbox', tick)).resolves.toBe('succeeded');
    await expect(jobs.runTick('prune-inbox', tick)).resolves.toBe('skipped');

    const remembered = await db.select({ messageId: inbox.messageId }).from(inbox);
    expect(remembered).toEqual([{ messageId: 'recent' }]);
    expect(app.get(SchedulerRegistry).getTimeouts()).toContain(timerName('prune-inbox'));
  });
});
