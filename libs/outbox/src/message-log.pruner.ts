import { errorMessage } from '@app/messaging';
import { type BaseConfig, type Database, DRIZZLE } from '@app/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Interval } from '@nestjs/schedule';
import { and, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { OUTBOX_OPTIONS, type OutboxModuleOptions } from './outbox.options';

const PRUNE_EVERY_MS = 60 * 60 * 1000;
const BATCH = 5_000;

/**
 * Keeps the outbox and inbox from growing forever: hourly, it deletes sent outbox rows older than
 * OUTBOX_RETENTION_HOURS and inbox rows older than INBOX_RETENTION_HOURS. Unsent rows are never
 * touched. Deletes go in small batches that skip rows other replicas hold, so pruning never
 * blocks the relay or a handler for long.
 */
@Injectable()
export class MessageLogPruner {
  private readonly logger = new Logger(MessageLogPruner.name);

  constructor(
    @Inject(DRIZZLE) private readonly db: Database,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxModuleOptions,
    private readonly config: ConfigService<BaseConfig, true>,
  ) {}

  @Interval(PRUNE_EVERY_MS)
  async pruneOnSchedule(): Promise<void> {
    try {
      const pruned = await this.prune();
      if (pruned.outbox + pruned.inbox > 0) {
        this.logger.log(
          `Pruned ${pruned.outbox} sent outbox row(s) and ${pruned.inbox} inbox row(s)`,
        );
      }
    } catch (error) {
      this.logger.warn(`Pruning the outbox and inbox failed: ${errorMessage(error)}`);
    }
  }

  async prune(): Promise<{ outbox: number; inbox: number }> {
    return {
      outbox: await this.inBatches(() => this.pruneOutbox()),
      inbox: await this.inBatches(() => this.pruneInbox()),
    };
  }

  private async pruneOutbox(): Promise<number> {
    const { outbox } = this.options.tables;
    const hours = this.config.get('OUTBOX_RETENTION_HOURS', { infer: true });
    const expired = this.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          isNotNull(outbox.sentAt),
          lt(outbox.sentAt, sql`now() - make_interval(hours => ${hours})`),
        ),
      )
      .limit(BATCH)
      .for('update', { skipLocked: true });
    const deleted = await this.db
      .delete(outbox)
      .where(inArray(outbox.id, expired))
      .returning({ id: outbox.id });
    return deleted.length;
  }

  private async pruneInbox(): Promise<number> {
    const { inbox } = this.options.tables;
    const hours = this.config.get('INBOX_RETENTION_HOURS', { infer: true });
    const result = await this.db.execute(sql`
      delete from ${inbox} where (${inbox.messageId}, ${inbox.handler}) in (
        select ${inbox.messageId}, ${inbox.handler} from ${inbox}
        where ${inbox.processedAt} < now() - make_interval(hours => ${hours})
        limit ${BATCH} for update skip locked)`);
    return result.rowCount ?? 0;
  }

  private async inBatches(deleteBatch: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await deleteBatch();
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }
}
