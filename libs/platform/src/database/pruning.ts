import { Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { errorMessage } from '../error-message';

/** How often the outbox and the inbox are pruned. */
export const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** Rows deleted per statement: small enough never to block the relay or a handler for long. */
export const PRUNE_BATCH = 5_000;

/**
 * Deletes a table's expired rows hourly, PRUNE_BATCH at a time until a batch comes back short.
 * A subclass says which rows, one batch at a time, skipping rows other replicas hold.
 */
export abstract class ScheduledPruner {
  private readonly logger = new Logger(this.constructor.name);

  /** What is deleted, as the log line says it ("inbox row(s)"). */
  protected abstract readonly rows: string;

  /** Deletes at most PRUNE_BATCH expired rows; returns how many. */
  protected abstract pruneBatch(): Promise<number>;

  /** Logs what went, and a failure as a warning: the next hour tries again. */
  @Interval(PRUNE_EVERY_MS)
  async pruneOnSchedule(): Promise<void> {
    try {
      const pruned = await this.prune();
      if (pruned > 0) this.logger.log(`Pruned ${pruned} ${this.rows}`);
    } catch (error) {
      this.logger.warn(`Pruning ${this.rows} failed: ${errorMessage(error)}`);
    }
  }

  /** Deletes every expired row; returns how many. */
  async prune(): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.pruneBatch();
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }
}
