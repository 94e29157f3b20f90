import { NOTIFICATION_KINDS, type NotificationKind } from '@app/contracts';
import { errorMessage } from '@app/platform';
import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { DailySummaryRepository } from './daily-summary.repository';

const DAY_MS = 24 * 3_600_000;

/** The UTC midnight that begins `day` (YYYY-MM-DD), in epoch milliseconds. */
const midnightOf = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/** The YYYY-MM-DD of the UTC day `ms` falls on. */
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The UTC day before the one `moment` falls on, as YYYY-MM-DD. */
export function dayBefore(moment: Date): string {
  return dayOf(moment.getTime() - DAY_MS);
}

/** How far back a run makes up days no run summarised (its failed or missed ticks). */
export const MAX_CATCH_UP_DAYS = 7;

/** From the first day of the catch-up window to its last. */
const CATCH_UP_MS = (MAX_CATCH_UP_DAYS - 1) * DAY_MS;

/** The first day of the catch-up window that ends on `last`. */
export function catchUpStart(last: string): string {
  return dayOf(midnightOf(last) - CATCH_UP_MS);
}

/**
 * The days up to `last`, MAX_CATCH_UP_DAYS back at most and none before the first ever
 * summarised (a new install does not make up the week before it), that have no summary; `last`
 * alone when every one has.
 */
export function daysToSummarise(
  first: string | undefined,
  summarised: readonly string[],
  last: string,
): string[] {
  if (first === undefined) return [last];
  const done = new Set(summarised);
  const days: string[] = [];
  const end = midnightOf(last);
  const from = Math.max(midnightOf(first), end - CATCH_UP_MS);
  for (let midnight = from; midnight <= end; midnight += DAY_MS) {
    const day = dayOf(midnight);
    if (!done.has(day)) days.push(day);
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
   * Records the summary of the day before `moment`'s, and of the days of the week before it
   * that have none (a failed or missed tick's); says what it did. A job must make up for a
   * failed run by itself: its tick is not run again. A day that fails does not hold up the
   * others: the run fails once each has been tried, and the next run tries that day again.
   */
  async summariseDaysBefore(moment: Date): Promise<string> {
    const last = dayBefore(moment);
    const { first, days: summarised } = await this.summaries.summarisedDays(catchUpStart(last));
    const said: string[] = [];
    const failed: string[] = [];
    for (const day of daysToSummarise(first, summarised, last)) {
      await this.summariseDay(day).then(
        (done) => said.push(done),
        (error: unknown) => failed.push(`${day} not summarised: ${errorMessage(error)}`),
      );
    }
    if (failed.length > 0) throw new Error([...said, ...failed].join('. '));
    return said.join('. ');
  }

  /** One day, in a transaction of its own: a day summarised stays so if a later one fails. */
  @Transactional()
  async summariseDay(day: string): Promise<string> {
    const from = midnightOf(day);
    const rows = await this.summaries.countByKind(new Date(from), new Date(from + DAY_MS));
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
