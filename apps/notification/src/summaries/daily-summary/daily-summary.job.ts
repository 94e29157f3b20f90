import { Periodic } from '@app/scheduling';
import { Injectable } from '@nestjs/common';
import { DailySummaryService } from './daily-summary.service';

/** Every morning at 08:00 UTC, once across replicas. */
export const DAILY_SUMMARY_CRON = '0 8 * * *';

/** The daily summary of the previous day's notifications, as a periodic job. */
@Injectable()
export class DailySummaryJob {
  constructor(private readonly summaries: DailySummaryService) {}

  /** The tick, not the clock, says which day: a tick run late still summarises its own day. */
  @Periodic('daily-summary', DAILY_SUMMARY_CRON)
  summarise(tick: Date): Promise<string> {
    return this.summaries.summariseDaysBefore(tick);
  }
}
