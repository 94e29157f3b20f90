import {
  type BaseConfig,
  type Database,
  DRIZZLE,
  deleteExpiredBatch,
  PRUNE_CRON,
  BatchPruner,
} from '@app/platform';
import { Periodic } from '@app/scheduling';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { sql } from 'drizzle-orm';
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

  protected pruneBatch(): Promise<number> {
    const outbox = this.options.table;
    const hours = this.config.get('OUTBOX_RETENTION_HOURS', { infer: true });
    return deleteExpiredBatch(
      this.db,
      outbox,
      [outbox.id],
      sql`${outbox.sentAt} is not null
        and ${outbox.sentAt} < now() - make_interval(hours => ${hours})`,
    );
  }
}
