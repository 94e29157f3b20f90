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
import { INBOX_OPTIONS, type InboxModuleOptions } from './inbox.options';

/**
 * Keeps the inbox from growing forever: hourly (the `prune-inbox` periodic job, once across
 * replicas), it deletes rows older than INBOX_RETENTION_HOURS (a redelivery later than that is
 * no longer recognised). Deletes go in small batches that skip rows other replicas hold, so
 * pruning never blocks a handler for long.
 */
@Injectable()
export class InboxPruner extends BatchPruner {
  protected readonly rows = 'inbox row(s)';

  constructor(
    @Inject(DRIZZLE) private readonly db: Database,
    @Inject(INBOX_OPTIONS) private readonly options: InboxModuleOptions,
    private readonly config: ConfigService<BaseConfig, true>,
  ) {
    super();
  }

  @Periodic('prune-inbox', PRUNE_CRON)
  pruneOnSchedule(): Promise<string> {
    return this.pruneAndReport();
  }

  protected pruneBatch(): Promise<number> {
    const inbox = this.options.table;
    const hours = this.config.get('INBOX_RETENTION_HOURS', { infer: true });
    return deleteExpiredBatch(
      this.db,
      inbox,
      [inbox.messageId, inbox.handler],
      sql`${inbox.processedAt} < now() - make_interval(hours => ${hours})`,
    );
  }
}
