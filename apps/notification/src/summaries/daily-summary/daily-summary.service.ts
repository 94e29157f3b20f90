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

/**
 * Summarises one day's notifications: how many of each kind were recorded (one per channel: an
 * order placed gives an order-received by e-mail and another by SMS) and how many failed
 * delivery. One summary per day: summarising a day again changes nothing.
 */
@Injectable()
export class DailySummaryService {
  constructor(private readonly summaries: DailySummaryRepository) {}

  /** Records the summary of the day before `moment`'s; says what it recorded. */
  @Transactional()
  async summariseDayBefore(moment: Date): Promise<string> {
    const day = dayBefore(moment);
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
