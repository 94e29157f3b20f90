import { sleep } from '../core/log';
import type { EndToEndSettings } from '../settings';
import { rawCommitRate } from './commit-rate';
import { idleOrders, type IdleOrdersRun } from './idle-orders';
import { latencyStats, type LatencyStats } from './latency';
import type { MemoryRecorder } from './memory-recorder';
import type { OrderFlowDb } from './order-flow-db';
import { type Completed, type LoadCpu, loadToCompletion } from './measured-load';
import type { BenchStack } from './stack';

export type { LoadCpu } from './measured-load';

export type SaturationRound = {
  orders: number;
  /** Completed orders ÷ (last notification delivered − first order created). */
  ordersPerSecond: number;
  /** HTTP 202 answers per second while the load ran. */
  acceptedPerSecond: number;
  /** Requests answered otherwise than 202, or not at all (errors, timeouts). */
  unanswered: number;
  commits: number;
  commitsPerOrder: number;
  rawCommitsPerSecond: number;
  /** What the raw commit rate allows: raw commits/s ÷ commits per order. */
  commitBoundOrdersPerSecond: number;
  toPaid: LatencyStats;
  toNotified: LatencyStats;
  httpP99Ms: number;
  cpu: LoadCpu;
};

export type FixedRateRun = {
  offeredPerSecond: number;
  orders: number;
  acceptedPerSecond: number;
  /** Requests answered otherwise than 202, or not at all (errors, timeouts). */
  unanswered: number;
  toPaid: LatencyStats;
  toNotified: LatencyStats;
  /** The two hops of toPaid: order → payment transaction, payment → settling transaction. */
  toPayment: LatencyStats;
  paymentToPaid: LatencyStats;
  httpP99Ms: number;
  cpu: LoadCpu;
  /** The database's commits per order, when the run counted them (it waits 11 s to). */
  commitsPerOrder?: number;
};

/** Drives POST /orders loads against the stack and reads what became of the orders. */
export class OrderLoad {
  /**
   * When the database last saw a load's commits; its statistics settle from then. Boot's few
   * commits are not waited for.
   */
  private lastLoadAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly settings: EndToEndSettings,
    private readonly stack: BenchStack,
    private readonly db: OrderFlowDb,
    private readonly memory: MemoryRecorder,
    /** The bench database, where raw commit rates are measured (not the services' database). */
    private readonly rawDatabaseUrl: string,
  ) {}

  /** A short unmeasured load first, so JIT and connection pools are warm in every round. */
  async warmUp(): Promise<void> {
    if (this.settings.warmupSeconds === 0) return;
    const { saturationConnections } = this.settings;
    await this.loadToCompletion(
      'bench-warm-up',
      saturationConnections,
      this.settings.warmupSeconds,
    );
  }

  /** Orders one at a time on the idle stack (their observer's commits settle like a load's). */
  async oneAtATime(customerId: string): Promise<IdleOrdersRun> {
    const run = await idleOrders(
      this.stack.order.url,
      this.db,
      this.settings.idleOrders,
      customerId,
    );
    this.lastLoadAt = performance.now();
    return run;
  }

  /** The raw commit rate with a NOTIFY in each transaction, measured while statistics settle. */
  notifyingCommitRate(): Promise<number> {
    const { rawCommitClients, rawCommitMs } = this.settings;
    return rawCommitRate(this.rawDatabaseUrl, rawCommitClients, rawCommitMs, true);
  }

  /**
   * One saturation round: the load, every order through to its notifications, then the raw
   * commit rate on the bench database while this database's statistics settle, then the
   * commits this database counted for the round.
   */
  async saturationRound(round: number): Promise<SaturationRound> {
    const customerId = `bench-saturation-${round + 1}`;
    await this.statisticsSettled();
    const before = await this.db.commits();
    const { saturationConnections, saturationSeconds } = this.settings;
    const { load, cpu } = await this.loadToCompletion(
      customerId,
      saturationConnections,
      saturationSeconds,
    );
    const flow = await this.db.flow(customerId);
    const { rawCommitClients, rawCommitMs } = this.settings;
    const rawCommitsPerSecond = await rawCommitRate(
      this.rawDatabaseUrl,
      rawCommitClients,
      rawCommitMs,
    );
    await this.statisticsSettled();
    const commits = (await this.db.commits()) - before;
    return {
      orders: flow.orders,
      ordersPerSecond: flow.orders / flow.windowSeconds,
      acceptedPerSecond: load.accepted / load.seconds,
      unanswered: load.rejected + load.errors,
      commits,
      commitsPerOrder: commits / flow.orders,
      rawCommitsPerSecond,
      commitBoundOrdersPerSecond: rawCommitsPerSecond / (commits / flow.orders),
      toPaid: latencyStats(flow.toPaidMs),
      toNotified: latencyStats(flow.toNotifiedMs),
      httpP99Ms: load.latencyP99Ms,
      cpu,
    };
  }

  /** Orders offered at a fixed rate: how long each takes to be PAID and announced. */
  async fixedRate(
    offeredPerSecond: number,
    customerId: string,
    countCommits = false,
  ): Promise<FixedRateRun> {
    const { fixedConnections, fixedSeconds } = this.settings;
    const before = countCommits ? await this.settledCommits() : undefined;
    const { load, cpu } = await this.loadToCompletion(
      customerId,
      fixedConnections,
      fixedSeconds,
      offeredPerSecond,
    );
    const flow = await this.db.flow(customerId);
    const commits = before === undefined ? undefined : (await this.settledCommits()) - before;
    return {
      offeredPerSecond,
      ...(commits === undefined ? {} : { commitsPerOrder: commits / flow.orders }),
      orders: flow.orders,
      acceptedPerSecond: load.accepted / load.seconds,
      unanswered: load.rejected + load.errors,
      toPaid: latencyStats(flow.toPaidMs),
      toNotified: latencyStats(flow.toNotifiedMs),
      toPayment: latencyStats(flow.toPaymentMs),
      paymentToPaid: latencyStats(flow.paymentToPaidMs),
      httpP99Ms: load.latencyP99Ms,
      cpu,
    };
  }

  /** The database's commit count, once it includes every commit of the last load. */
  private async settledCommits(): Promise<number> {
    await this.statisticsSettled();
    return this.db.commits();
  }

  /**
   * PostgreSQL backends flush their statistics at most every second while busy and after
   * 10 s when idle: xact_commit is complete only that long after a load's last commit.
   */
  private async statisticsSettled(): Promise<void> {
    await sleep(Math.max(0, this.settings.statsSettleMs - (performance.now() - this.lastLoadAt)));
  }

  private loadToCompletion(
    customerId: string,
    connections: number,
    seconds: number,
    rate?: number,
  ): Promise<Completed> {
    return loadToCompletion(
      this.stack,
      this.db,
      { customerId, connections, seconds, rate },
      {
        completionTimeoutMs: this.settings.completionTimeoutMs,
        memory: this.memory,
        loaded: () => (this.lastLoadAt = performance.now()),
      },
    );
  }
}
