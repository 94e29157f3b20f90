import { BrokerConnection, MessagePublisher, errorMessage } from '@app/messaging';
import { type BaseConfig, type Database, DRIZZLE, directDatabaseUrl } from '@app/platform';
import { MetricNames, withTraceHeaders } from '@app/telemetry';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { and, asc, isNull, lte, sql } from 'drizzle-orm';
import type { Histogram } from 'prom-client';
import { markRefused, markSent, msUntilNextDue } from './outbox-rows';
import type { OutboxRow } from './outbox.table';
import { OutboxListener } from './outbox-listener';
import { notifyChannelOf, OUTBOX_OPTIONS, type OutboxModuleOptions } from './outbox.options';
import { failuresByReason, settledWithin } from './publish-outcomes';

const PUBLISH_TIMEOUT_MS = 5_000;
const MAX_IDLE_BACKOFF_MS = 10_000;

type ClaimedRow = Pick<
  OutboxRow,
  'id' | 'exchange' | 'routingKey' | 'type' | 'payload' | 'headers' | 'createdAt'
>;

interface BatchResult {
  claimed: number;
  failed: number;
}

/**
 * Publishes committed outbox rows. Each batch is claimed with FOR UPDATE SKIP LOCKED inside a
 * transaction, so replicas never publish the same row at once; a row is marked sent only after
 * the broker confirmed it. A row the broker could not take (down, or no queue bound) stays
 * unsent and is retried with a growing delay. It wakes on NOTIFY, on a timer set for the nearest
 * row not due yet (a scheduled message), and polls as a fallback.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly listener: OutboxListener;
  private stopped = false;
  private wake?: () => void;
  private pendingWake = false;
  private loop?: Promise<void>;

  constructor(
    @Inject(DRIZZLE) private readonly db: Database,
    private readonly publisher: MessagePublisher,
    private readonly broker: BrokerConnection,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxModuleOptions,
    config: ConfigService<BaseConfig, true>,
    @InjectMetric(MetricNames.outboxScheduledLateness) private readonly lateness: Histogram<string>,
  ) {
    // LISTEN needs a session: past a transaction pooler, on the direct URL.
    this.listener = new OutboxListener(
      directDatabaseUrl({
        DATABASE_URL: config.get('DATABASE_URL', { infer: true }),
        DATABASE_DIRECT_URL: config.get('DATABASE_DIRECT_URL', { infer: true }),
      }),
      notifyChannelOf(options.schema),
      () => this.kick(),
    );
  }

  onApplicationBootstrap(): void {
    this.listener.start();
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.kick();
    await this.loop;
    await this.listener.stop();
  }

  /** Asks the relay to look for rows now rather than at its next poll. */
  kick(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 100;
  }

  private async run(): Promise<void> {
    let idleBackoffMs = 0;
    while (!this.stopped) {
      try {
        const { claimed, failed } = await this.relayBatch();
        idleBackoffMs = failed > 0 ? nextBackoff(idleBackoffMs) : 0;
        if (claimed === this.batchSize && failed === 0) continue;
      } catch (error) {
        idleBackoffMs = nextBackoff(idleBackoffMs);
        this.logger.warn(`Outbox relay could not run a batch: ${errorMessage(error)}`);
      }
      const backingOff = idleBackoffMs > 0;
      await this.sleep(backingOff ? idleBackoffMs : await this.untilNextLook(), backingOff);
    }
  }

  /** The poll interval, or less when a row becomes due sooner: its timer. */
  private async untilNextLook(): Promise<number> {
    const pollMs = this.options.pollIntervalMs ?? 1000;
    try {
      const dueInMs = await msUntilNextDue(this.db, this.options.table);
      return dueInMs === undefined ? pollMs : Math.min(pollMs, Math.ceil(dueInMs));
    } catch {
      return pollMs;
    }
  }

  /** What a published message is made of: the bookkeeping columns stay in the database. */
  private get publishedColumns() {
    const outbox = this.options.table;
    return {
      id: outbox.id,
      exchange: outbox.exchange,
      routingKey: outbox.routingKey,
      type: outbox.type,
      payload: outbox.payload,
      headers: outbox.headers,
      createdAt: outbox.createdAt,
    };
  }

  /** Claims, publishes and marks one batch in one transaction. */
  async relayBatch(): Promise<BatchResult> {
    if (!this.broker.isConnected) return { claimed: 0, failed: 0 };
    const outbox = this.options.table;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .select(this.publishedColumns)
        .from(outbox)
        .where(and(isNull(outbox.sentAt), lte(outbox.nextAttemptAt, sql`clock_timestamp()`)))
        .orderBy(asc(outbox.nextAttemptAt), asc(outbox.createdAt))
        .limit(this.batchSize)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return { claimed: 0, failed: 0 };
      const results = await settledWithin(
        rows.map((row) => this.publishRow(row)),
        PUBLISH_TIMEOUT_MS,
      );
      const sent = rows.filter((_, index) => results[index].status === 'fulfilled');
      const failures = failuresByReason(rows, results);
      if (sent.length > 0) {
        const lateSeconds = await markSent(
          tx,
          outbox,
          sent.map((row) => row.id),
        );
        for (const late of lateSeconds) this.lateness.observe(late);
      }
      for (const [reason, ids] of failures) {
        this.logger.warn(`Outbox could not publish ${ids.length} message(s): ${reason}`);
        await markRefused(tx, outbox, ids, reason);
      }
      return { claimed: rows.length, failed: rows.length - sent.length };
    });
  }

  /**
   * Publishes in the trace context stored with the row. The amqplib instrumentation starts the
   * publish span synchronously inside `publish`, so the rows of a batch, published one after
   * the other without awaiting, each get their own parent.
   */
  private publishRow(row: ClaimedRow): Promise<void> {
    const message = {
      messageId: row.id,
      type: row.type,
      exchange: row.exchange,
      routingKey: row.routingKey,
      payload: row.payload,
      headers: row.headers,
      timestamp: row.createdAt,
    };
    return withTraceHeaders(row.headers, () =>
      this.publisher.publish(message, { timeoutMs: null }),
    );
  }

  /** Waits for a kick, or the poll interval; a kick during backoff does not cut the backoff short. */
  private sleep(ms: number, backingOff: boolean): Promise<void> {
    if (this.pendingWake && !backingOff) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const wakeable = !backingOff;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        if (wakeable || this.stopped) done();
      };
    }).finally(() => {
      this.wake = undefined;
      this.pendingWake = false;
    });
  }
}

function nextBackoff(currentMs: number): number {
  return Math.min(Math.max(currentMs * 2, 500), MAX_IDLE_BACKOFF_MS);
}
