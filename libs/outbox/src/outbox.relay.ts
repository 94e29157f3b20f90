import { BrokerConnection, MessagePublisher, errorMessage } from '@app/messaging';
import { type Database, DRIZZLE } from '@app/platform';
import { MetricNames, withTraceHeaders } from '@app/telemetry';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { PoolClient, QueryResult } from 'pg';
import type { Histogram } from 'prom-client';
import { type ClaimedRow, OutboxRowStatements } from './outbox-rows';
import { OUTBOX_OPTIONS, type OutboxModuleOptions } from './outbox.options';
import { failuresByReason, settledWithin } from './publish-outcomes';
import { RelayPause } from './relay-pause';

const PUBLISH_TIMEOUT_MS = 5_000;
const MAX_IDLE_BACKOFF_MS = 10_000;

interface BatchResult {
  claimed: number;
  sent: number;
}

/**
 * Publishes committed outbox rows. Each batch is claimed with FOR UPDATE SKIP LOCKED inside a
 * transaction, so replicas never publish the same row at once; a row is marked sent only after
 * the broker confirmed it. A row the broker could not take (down, or no queue bound) stays
 * unsent and is retried with a growing delay. It is woken in-process once a transaction of its
 * process has committed outbox rows (OutboxWriter), on a timer set for the nearest row not due
 * yet (a scheduled message), when the broker can take publishes again and when the publisher's
 * channel is set up again, and at its poll, which
 * finds rows a stopped replica left behind. No NOTIFY: its commit-time lock would serialise
 * every writing transaction's commit, and it would wake every replica for rows one of them has
 * already taken.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly pause = new RelayPause();
  private loop?: Promise<void>;
  private readonly statements: OutboxRowStatements;
  /**
   * When (performance.now()) the nearest row not due at the last claim falls due: measured from
   * the claim, as the batch's publishes after it may take seconds.
   */
  private nextDueAt?: number;

  constructor(
    @Inject(DRIZZLE) private readonly db: Database,
    private readonly publisher: MessagePublisher,
    private readonly broker: BrokerConnection,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxModuleOptions,
    @InjectMetric(MetricNames.outboxScheduledLateness) private readonly lateness: Histogram<string>,
  ) {
    this.statements = new OutboxRowStatements(options.table, this.batchSize);
  }

  onApplicationBootstrap(): void {
    // Rows held back while the broker was away or blocked go as soon as it can take them: the
    // connection is back (or unblocked), and the publisher's channel is set up on it again.
    this.broker.onPublishable(() => this.kick());
    this.publisher.onReady(() => this.kick());
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.pause.stop();
    await this.loop;
  }

  /** Asks the relay to look for rows now rather than at its next poll. */
  kick(): void {
    this.pause.kick();
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 100;
  }

  private async run(): Promise<void> {
    let idleBackoffMs = 0;
    while (!this.pause.isStopped) {
      try {
        const { claimed, sent } = await this.relayBatch();
        // A row the broker refused is put off on its own (markRefused): rows after it, for a
        // queue that is not full, go at once rather than behind a backoff of the whole relay.
        // A full batch that sent anything may have more behind it: the next one goes now.
        idleBackoffMs = 0;
        if (claimed === this.batchSize && sent > 0) continue;
      } catch (error) {
        idleBackoffMs = nextBackoff(idleBackoffMs);
        this.logger.warn(`Outbox relay could not run a batch: ${errorMessage(error)}`);
      }
      const backingOff = idleBackoffMs > 0;
      await this.pause.wait(backingOff ? idleBackoffMs : this.untilNextLook(), backingOff);
    }
  }

  /** The poll interval, or less when a row becomes due sooner: its timer. */
  private untilNextLook(): number {
    const pollMs = this.options.pollIntervalMs ?? 1000;
    if (this.nextDueAt === undefined) return pollMs;
    return Math.min(pollMs, Math.max(0, Math.ceil(this.nextDueAt - performance.now())));
  }

  /**
   * Claims, publishes and marks one batch in one transaction of two round trips: BEGIN with the
   * claim, the marks with COMMIT (see OutboxRowStatements).
   */
  async relayBatch(): Promise<BatchResult> {
    this.nextDueAt = undefined;
    // Blocked, the broker would not read the publishes: each try would time out and leave a copy
    // to be delivered, besides the one sent once it is unblocked, in the connection's buffer.
    // Nor while the publisher's channel is still being set up after a reconnect: the rows would
    // wait in its queue, past the batch's deadline, and go out in no request's trace.
    if (!this.broker.canPublish || !this.publisher.isReady) return { claimed: 0, sent: 0 };
    const client = await this.db.$client.connect();
    let broken = false;
    try {
      const claim = OutboxRowStatements.claimed(
        (await client.query(this.statements.claim)) as unknown as QueryResult[],
      );
      if (claim.nextDueInMs !== undefined) this.nextDueAt = performance.now() + claim.nextDueInMs;
      if (claim.rows.length === 0) {
        await client.query('commit');
        return { claimed: 0, sent: 0 };
      }
      return await this.publishAndMark(client, claim.rows);
    } catch (error) {
      // A connection that cannot even roll back is not handed out again.
      await client.query('rollback').catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async publishAndMark(client: PoolClient, rows: ClaimedRow[]): Promise<BatchResult> {
    const results = await settledWithin(
      rows.map((row) => this.publishRow(row)),
      PUBLISH_TIMEOUT_MS,
    );
    const sent = rows.filter((_, index) => results[index].status === 'fulfilled');
    const failures = failuresByReason(rows, results);
    const marks = [
      ...(sent.length > 0 ? [this.statements.markSent(sent.map((row) => row.id))] : []),
      ...[...failures].map(([reason, ids]) => this.statements.markRefused(ids, reason)),
    ];
    // Every claimed row is marked one way or the other: the result is one per statement.
    const marked = (await client.query(`${marks.join('; ')}; commit`)) as unknown as QueryResult[];
    if (sent.length > 0) {
      for (const late of OutboxRowStatements.lateSeconds(marked[0])) this.lateness.observe(late);
    }
    for (const [reason, ids] of failures) {
      this.logger.warn(`Outbox could not publish ${ids.length} message(s): ${reason}`);
    }
    return { claimed: rows.length, sent: sent.length };
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
}

function nextBackoff(currentMs: number): number {
  return Math.min(Math.max(currentMs * 2, 500), MAX_IDLE_BACKOFF_MS);
}
