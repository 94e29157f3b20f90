import { type Database, DRIZZLE, PRUNE_CRON, BatchPruner, deleteExpiredBatch } from '@app/platform';
import { Periodic } from '@app/scheduling';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { sql } from 'drizzle-orm';
import { idempotencyKeys } from '../../db/order.tables';
import type { OrderConfig } from '../../order.config';

/**
 * Keeps the Idempotency-Key table from growing forever: hourly (the `prune-idempotency-keys`
 * periodic job, once across replicas), it deletes the keys first used more than
 * IDEMPOTENCY_KEY_RETENTION_HOURS ago, in small batches that skip a key a first request is still
 * writing. A repeat that finds its key pruned under it claims it anew (IdempotencyRepository).
 */
@Injectable()
export class IdempotencyKeysPruner extends BatchPruner {
  protected readonly rows = 'idempotency key(s)';

  constructor(
    @Inject(DRIZZLE) private readonly db: Database,
    private readonly config: ConfigService<OrderConfig, true>,
  ) {
    super();
  }

  @Periodic('prune-idempotency-keys', PRUNE_CRON)
  pruneOnSchedule(): Promise<string> {
    return this.pruneAndReport();
  }

  protected pruneBatch(): Promise<number> {
    const hours = this.config.get('IDEMPOTENCY_KEY_RETENTION_HOURS', { infer: true });
    return deleteExpiredBatch(
      this.db,
      idempotencyKeys,
      [idempotencyKeys.key],
      sql`${idempotencyKeys.createdAt} < now() - make_interval(hours => ${hours})`,
    );
  }
}
