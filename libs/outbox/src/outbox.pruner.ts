import {
  type BaseConfig,
  type Database,
  DRIZZLE,
  PRUNE_BATCH,
  PRUNE_CRON,
  BatchPruner,
} from '@app/platform';
import { Periodic } from '@app/scheduling';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { and, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { OUTBOX_OPTIONS, type OutboxModuleOptions } from './outbox.options';

/**
 * Keeps the outbox from growing forever: hourly (the `prune-outbox` periodic job, once across
 * replicas), it deletes sent rows older than OUTBOX_RETENTION_HOURS. Unsent rows are never
 * touched. Deletes go in small batches that skip rows other replicas hold, so pruning never
 * blocks the relay for long.
 */
@Injectable()
export class OutboxPruner extends BatchPruner {
  protected readonly rows = 'sent outbox row(s)';

  constructor(
    @Inject(DRIZZLE) private readonly db: Database,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxModuleOptions,
    private readonly config: ConfigService<BaseConfig, true>,
  ) {
    super();
  }

  @Periodic('prune-outbox', PRUNE_CRON)
  pruneOnSchedule(): Promise<string> {
    return this.pruneAndReport();
  }

  protected async pruneBatch(): Promise<number> {
    const outbox = this.options.table;
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
      .limit(PRUNE_BATCH)
      .for('update', { skipLocked: true });
    const deleted = await this.db
      .delete(outbox)
      .where(inArray(outbox.id, expired))
      .returning({ id: outbox.id });
    return deleted.length;
  }
}
