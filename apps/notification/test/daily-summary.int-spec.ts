import { NOTIFICATION_KINDS, type NotificationKind } from '@app/contracts';
import { type Database, DRIZZLE } from '@app/platform';
import { PeriodicJobs } from '@app/scheduling';
import { isolate, type Isolation, startServiceApp } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { gt } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { dailySummaries, jobRuns, notifications } from '../src/db/notification.tables';
import { DailySummaryService } from '../src/summaries/daily-summary/daily-summary.service';

const notification = (
  kind: (typeof notifications.$inferInsert)['kind'],
  createdAt: string,
  status: 'DELIVERED' | 'FAILED' = 'DELIVERED',
) => ({
  id: randomUUID(),
  orderId: randomUUID(),
  kind,
  channel: 'email',
  status,
  createdAt: new Date(createdAt),
});

describe('The daily summary (in-process notification, real PostgreSQL)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let db: Database;

  beforeAll(async () => {
    isolation = await isolate('daily-summary');
    app = await startServiceApp(
      () => import('../src/notification.module').then((m) => m.NotificationModule),
      isolation.env,
    );
    db = app.get<Database>(DRIZZLE);
  });

  afterAll(async () => {
    await app?.close();
    await isolation?.dispose();
  });

  it('summarises the previous day’s notifications once, at its 08:00 tick', async () => {
    await db
      .insert(notifications)
      .values([
        notification('order-received', '2026-12-01T23:59:59Z'),
        notification('order-received', '2026-12-02T00:00:00Z'),
        notification('order-received', '2026-12-02T12:00:00Z'),
        notification('order-paid', '2026-12-02T12:00:01Z'),
        notification('order-cancelled', '2026-12-02T23:59:59Z', 'FAILED'),
        notification('order-paid', '2026-12-03T00:00:00Z'),
      ]);
    const jobs = app.get(PeriodicJobs);
    const tick = new Date('2026-12-03T08:00:00Z');

    await expect(jobs.runTick('daily-summary', tick)).resolves.toBe('succeeded');
    await expect(jobs.runTick('daily-summary', tick)).resolves.toBe('skipped');

    expect(await db.select().from(dailySummaries)).toEqual([
      {
        day: '2026-12-02',
        counts: { 'order-received': 2, 'order-paid': 1, 'order-cancelled': 1, 'order-refunded': 0 },
        failed: 1,
        createdAt: expect.any(Date),
      },
    ]);
    expect(await db.select().from(jobRuns)).toEqual([
      expect.objectContaining({ job: 'daily-summary', tick, outcome: 'succeeded', error: null }),
    ]);
  });

  it('makes up the days of the week a failed or missed tick left without a summary, at the next tick', async () => {
    // Of the week before the tick (12-17 to 12-23), only 2026-12-20 has its summary.
    const none = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, 0]));
    await db
      .insert(dailySummaries)
      .values({ day: '2026-12-20', counts: none as Record<NotificationKind, number>, failed: 0 });
    await db
      .insert(notifications)
      .values([
        notification('order-paid', '2026-12-21T10:00:00Z'),
        notification('order-paid', '2026-12-22T10:00:00Z'),
        notification('order-received', '2026-12-22T11:00:00Z'),
      ]);
    const jobs = app.get(PeriodicJobs);

    await expect(jobs.runTick('daily-summary', new Date('2026-12-24T08:00:00Z'))).resolves.toBe(
      'succeeded',
    );

    const summaries = await db
      .select()
      .from(dailySummaries)
      .where(gt(dailySummaries.day, '2026-12-02'))
      .orderBy(dailySummaries.day);
    expect(
      summaries.map(({ day, counts }) => [day, counts['order-paid'], counts['order-received']]),
    ).toEqual([
      ['2026-12-17', 0, 0],
      ['2026-12-18', 0, 0],
      ['2026-12-19', 0, 0],
      ['2026-12-20', 0, 0],
      ['2026-12-21', 1, 0],
      ['2026-12-22', 1, 1],
      ['2026-12-23', 0, 0],
    ]);
    // With the week summarised, a run again counts the day before its tick alone.
    await expect(
      app.get(DailySummaryService).summariseDaysBefore(new Date('2026-12-24T08:00:00Z')),
    ).resolves.toBe('2026-12-23 already has its summary');
  });
});
