import { CronSchedule } from '@app/scheduling';
import { DAILY_SUMMARY_CRON, DailySummaryJob } from './daily-summary.job';
import type { DailySummaryService } from './daily-summary.service';

describe('DailySummaryJob', () => {
  it('runs every morning at 08:00 UTC', () => {
    const schedule = new CronSchedule(DAILY_SUMMARY_CRON);
    expect(schedule.next(new Date('2026-12-03T07:30:00Z'))).toEqual(
      new Date('2026-12-03T08:00:00Z'),
    );
    expect(schedule.next(new Date('2026-12-03T08:00:00Z'))).toEqual(
      new Date('2026-12-04T08:00:00Z'),
    );
  });

  it('summarises the day before its tick, whenever it runs', async () => {
    const summaries = { summariseDaysBefore: jest.fn().mockResolvedValue('summarised') };
    const job = new DailySummaryJob(summaries as unknown as DailySummaryService);
    const tick = new Date('2026-12-03T08:00:00Z');

    await expect(job.summarise(tick)).resolves.toBe('summarised');

    expect(summaries.summariseDaysBefore).toHaveBeenCalledWith(tick);
  });
});
