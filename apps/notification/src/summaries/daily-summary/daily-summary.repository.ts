import type { NotificationKind } from '@app/contracts';
import type { DatabaseTransactionHost } from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { and, gte, lt, sql } from 'drizzle-orm';
import { dailySummaries, type DailySummaryRow, notifications } from '../../db/notification.tables';

export type NewDailySummary = Pick<DailySummaryRow, 'day' | 'counts' | 'failed'>;

export interface KindCount {
  kind: NotificationKind;
  recorded: number;
  failed: number;
}

/** Daily summaries, and the notification counts they are made of, in the caller's transaction. */
@Injectable()
export class DailySummaryRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost) {}

  /** Notifications recorded in [from, to), by kind, with how many of them failed delivery. */
  countByKind(from: Date, to: Date): Promise<KindCount[]> {
    return this.txHost.tx
      .select({
        kind: notifications.kind,
        recorded: sql<number>`count(*)::int`,
        failed: sql<number>`(count(*) filter (where ${notifications.status} = 'FAILED'))::int`,
      })
      .from(notifications)
      .where(and(gte(notifications.createdAt, from), lt(notifications.createdAt, to)))
      .groupBy(notifications.kind);
  }

  /**
   * The first day ever summarised, and which days from `since` on have a summary (YYYY-MM-DD).
   * As text: drizzle hands a date[] back unparsed, as one string.
   */
  async summarisedDays(since: string): Promise<{ first: string | undefined; days: string[] }> {
    const [row] = await this.txHost.tx
      .select({
        first: sql<string | null>`min(${dailySummaries.day})`,
        days: sql<
          string[] | null
        >`array_agg(${dailySummaries.day}::text) filter (where ${gte(dailySummaries.day, since)})`,
      })
      .from(dailySummaries);
    return { first: row?.first ?? undefined, days: row?.days ?? [] };
  }

  /** Undefined when the day already has its summary. */
  async insertOnce(summary: NewDailySummary): Promise<DailySummaryRow | undefined> {
    const [row] = await this.txHost.tx
      .insert(dailySummaries)
      .values(summary)
      .onConflictDoNothing()
      .returning();
    return row;
  }
}
