import { NOTIFICATION_KINDS, type NotificationKind } from '@app/contracts';
import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { DailySummaryRepository } from './daily-summary.repository';

const DAY_MS = 24 * 3_600_000;

/** The UTC day before the one `moment` falls on, as YYYY-MM-DD. */
export function dayBefore(moment: Date): string {
  const midnight = Math.floor(moment.getTime() / DAY_MS) * DAY_MS;
  return new Date(midnight - DAY_MS).toISOString().slice(0, 10);
}

/** How far back a run makes up days no run summarised (its failed or missed ticks). */
export const MAX_CATCH_UP_DAYS = 7;

/** The days from the one after `latest` (the last summarised) to `last`, at most MAX_CATCH_UP_DAYS. */
export function daysToSummarise(latest: string | undefined, last: string): string[] {
  const lastMs = Date.parse(`${last}T00:00:00Z`);
  const earliest = lastMs - (MAX_CATCH_UP_DAYS - 1) * DAY_MS;
  const after = latest === undefined ? lastMs : Date.parse(`${latest}T00:00:00Z`) + DAY_MS;
  const days: string[] = [];
  for (let day = Math.max(after, earliest); day <= lastMs; day += DAY_MS) {
    days.push(new Date(day).toISOString().slice(0, 10));
  }
  return days.length > 0 ? days : [last];
}

/**
 * Summarises each day's notifications: how many of each kind were recorded (one per channel: an
 * order placed gives an order-received by e-mail and another by SMS) and how many failed
 * delivery. One summary per day: summarising a day again changes nothing.
 */
@Injectable()
export class DailySummaryService {
  constructor(private readonly summaries: DailySummaryRepository) {}

  /**
   * Records the summary of the day before `moment`'s, and of the days before it that have none
   * since the last summarised (a failed or missed tick's), a week back at most; says what it did.
   * A job must make up for a failed run by itself: its tick is not run again.
   */
  async summariseDaysBefore(moment: Date): Promise<string> {
    const days = daysToSummarise(await this.summaries.latestDay(), dayBefore(moment));
    const said: string[] = [];
    for (const day of days) said.push(await this.summariseDay(day));
    return said.join('. ');
  }

  /** One day, in a transaction of its own: a day summarised stays so if a later one fails. */
  @Transactional()
  async summariseDay(day: string): Promise<string> {
    const from = new Date(`${day}T00:00:00.000Z`);
    const rows = await this.summaries.countByKind(from, new Date(from.getTime() + DAY_MS));
    const counts = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, 0])) as Record<
      NotificationKind,
      number
    >;
    let failed = 0;
    for (const row of rows) {
      counts[row.kind] = row.recorded;
      failed += row.failed;
    }
    const recorded = await this.summaries.insertOnce({ day, counts, failed });
    if (!recorded) return `${day} already has its summary`;
    const kinds = NOTIFICATION_KINDS.map((kind) => `${counts[kind]} ${kind}`).join(', ');
    return `summarised ${day}: ${kinds}; ${failed} failed delivery`;
  }
}
