import {
  type BaseConfig,
  BatchPruner,
  type Database,
  DRIZZLE,
  deleteExpiredBatch,
  PRUNE_CRON,
} from '@app/platform';
import { Periodic } from '@app/scheduling';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { sql } from 'drizzle-orm';
import { WORKFLOW_OPTIONS, type WorkflowModuleOptions } from './workflow.options';

/**
 * Keeps the join state from growing forever: hourly (the `prune-workflows` periodic job, once
 * across replicas), it deletes workflows that succeeded more than WORKFLOW_RETENTION_HOURS ago,
 * their steps with them. Running and failed workflows stay: a failed one waits for its step to
 * be replayed from the dead-letter queue.
 */
@Injectable()
export class WorkflowPruner extends BatchPruner {
  protected readonly rows = 'finished workflow(s)';

  constructor(
    @Inject(DRIZZLE) private readonly db: Database,
    @Inject(WORKFLOW_OPTIONS) private readonly options: WorkflowModuleOptions,
    private readonly config: ConfigService<BaseConfig, true>,
  ) {
    super();
  }

  @Periodic('prune-workflows', PRUNE_CRON)
  pruneOnSchedule(): Promise<string> {
    return this.pruneAndReport();
  }

  protected pruneBatch(): Promise<number> {
    const { workflows } = this.options.tables;
    const hours = this.config.get('WORKFLOW_RETENTION_HOURS', { infer: true });
    return deleteExpiredBatch(
      this.db,
      workflows,
      [workflows.id],
      sql`${workflows.status} = 'SUCCEEDED'
        and ${workflows.finishedAt} < now() - make_interval(hours => ${hours})`,
    );
  }
}
