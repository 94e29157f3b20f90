import { DEFAULT_POOL_SIZE, POOL_IDLE_TIMEOUT_MS } from '@app/platform';
import { waitFor } from '@app/testing';
import type { Pool } from 'pg';
import { sleep } from '../core/log';
import type { Journal } from '../core/scenario';
import type { EndToEndSettings } from '../settings';
import { idleOrders, type IdleOrdersRun } from './idle-orders';
import { latencyStats, type LatencyStats } from './latency';
import { type LoadCpu, loadToCompletion } from './measured-load';
import { OrderFlowDb } from './order-flow-db';
import { connectRaw } from './raw-amqp';
import { RAW_FLOW_SERVICE, RAW_FLOW_TABLES } from './raw-flow-names';
import type { BenchProfiler } from './profiler';
import { createRawFlowTables, declareRawFlowTopology } from './raw-flow-schema';
import { BenchStack } from './stack';

export type RawFlowRound = {
  orders: number;
  /** Completed orders ÷ (last notification delivered − first order created). */
  ordersPerSecond: number;
  acceptedPerSecond: number;
  /** Requests answered otherwise than 202, or not at all (errors, timeouts). */
  unanswered: number;
  commits: number;
  commitsPerOrder: number;
  toPaid: LatencyStats;
  toNotified: LatencyStats;
  cpu: LoadCpu;
};

export type RawFlowRun = { oneAtATime: IdleOrdersRun; saturation: RawFlowRound[] };

/**
 * Where the raw flow's processes write their logs, profile with `--profile`, and record their
 * rounds (as they come, so a run that fails later keeps them).
 */
type RawFlowOutput = { logDir: string; profiler?: BenchProfiler; journal: Journal };

/**
 * The raw order flow's processes, one per role and replica as the starter's (payment ×
 * `paymentReplicas`), each the bench bundle started with the services' node options.
 */
function bootRawFlow(
  env: Record<string, string>,
  settings: EndToEndSettings,
  { logDir, profiler }: RawFlowOutput,
) {
  const script = process.argv[1];
  const rawEnv = {
    ...env,
    RAW_FLOW_POOL_SIZE: String(DEFAULT_POOL_SIZE),
    RAW_FLOW_POOL_IDLE_MS: String(POOL_IDLE_TIMEOUT_MS),
  };
  return BenchStack.start(rawEnv, settings, logDir, profiler, (name) => [
    script,
    RAW_FLOW_SERVICE,
    name,
  ]);
}

/**
 * A stopped process's backends are gone, and a PostgreSQL backend flushes its statistics as it
 * exits: then xact_commit counts every commit of the load, without the starter's 11 s wait.
 */
async function rawBackendsGone(pool: Pool): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await pool.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
         where datname = current_database() and application_name = 'bench-raw'`,
      );
      return rows[0].n === 0;
    },
    { description: 'the raw flow’s backends to exit', timeoutMs: 10_000, intervalMs: 20 },
  );
}

/**
 * Every order's confirmation complete (its chord callback run). The load is over when the last
 * notification is delivered, as for the services; the callbacks still queued then are waited
 * for, so their commits count as the services' do (the starter's run on during the 11 s wait).
 */
async function untilConfirmed(pool: Pool, customerId: string, timeoutMs: number): Promise<void> {
  const { orders, confirmations } = RAW_FLOW_TABLES;
  await waitFor(
    async () => {
      const { rows } = await pool.query<{ n: number }>(
        `select count(*)::int as n from ${confirmations} c join ${orders} o on o.id = c.order_id
         where o.customer_id = $1 and c.completed_at is null`,
        [customerId],
      );
      return rows[0].n === 0;
    },
    { description: `the confirmations of ${customerId}`, timeoutMs, intervalMs: 100 },
  );
}

/**
 * The starter's unmeasured warm-up (JIT, pools), then the wait its statistics need: its commits
 * must not be counted in the round.
 */
async function warmUp(
  stack: BenchStack,
  { db, pool }: { db: OrderFlowDb; pool: Pool },
  settings: EndToEndSettings,
  customerId: string,
): Promise<void> {
  if (settings.warmupSeconds === 0) return;
  const id = `${customerId}-warm-up`;
  const { saturationConnections: connections, warmupSeconds: seconds } = settings;
  const timeout = { completionTimeoutMs: settings.completionTimeoutMs };
  await loadToCompletion(stack, db, { customerId: id, connections, seconds }, timeout);
  await untilConfirmed(pool, id, settings.completionTimeoutMs);
  await sleep(settings.statsSettleMs);
}

async function saturationRound(
  env: Record<string, string>,
  settings: EndToEndSettings,
  output: RawFlowOutput,
  context: { db: OrderFlowDb; pool: Pool; round: number },
): Promise<RawFlowRound> {
  const { db, pool, round } = context;
  const customerId = `bench-raw-saturation-${round + 1}`;
  const stack = await bootRawFlow(env, settings, output);
  let before: number;
  let completed;
  try {
    await warmUp(stack, { db, pool }, settings, customerId);
    before = await db.commits();
    completed = await loadToCompletion(
      stack,
      db,
      {
        customerId,
        connections: settings.saturationConnections,
        seconds: settings.saturationSeconds,
      },
      { completionTimeoutMs: settings.completionTimeoutMs },
    );
    await untilConfirmed(pool, customerId, settings.completionTimeoutMs);
  } finally {
    await stack.stop();
  }
  await rawBackendsGone(pool);
  const commits = (await db.commits()) - before;
  const flow = await db.flow(customerId);
  return {
    orders: flow.orders,
    ordersPerSecond: flow.orders / flow.windowSeconds,
    acceptedPerSecond: completed.load.accepted / completed.load.seconds,
    unanswered: completed.load.rejected + completed.load.errors,
    commits,
    commitsPerOrder: commits / flow.orders,
    toPaid: latencyStats(flow.toPaidMs),
    toNotified: latencyStats(flow.toNotifiedMs),
    cpu: completed.cpu,
  };
}

/**
 * The raw order flow, measured as the starter is: orders one at a time on the idle processes,
 * then `rounds` saturation rounds with the same autocannon load, each on freshly started
 * processes (stopping them is what settles the commit count). Its tables, exchange and queues
 * go with the end-to-end database and virtual host. With `--profile`, each role's profiles of
 * all these runs add up, as "raw order" beside the service's "order".
 */
export async function measureRawFlow(
  env: Record<string, string>,
  settings: EndToEndSettings,
  output: RawFlowOutput,
  pool: Pool,
): Promise<RawFlowRun> {
  await createRawFlowTables(pool);
  const connection = await connectRaw(env.RABBITMQ_URL, 'bench-raw-flow-setup');
  try {
    await declareRawFlowTopology(await connection.createChannel());
  } finally {
    await connection.close();
  }
  const db = new OrderFlowDb(env.DATABASE_URL, RAW_FLOW_TABLES);
  try {
    const stack = await bootRawFlow(env, settings, output);
    let oneAtATime: IdleOrdersRun;
    try {
      // Warm as the starter's are when they take their orders one at a time.
      await warmUp(stack, { db, pool }, settings, 'bench-raw-one-at-a-time');
      oneAtATime = await idleOrders(
        stack.order.url,
        db,
        settings.idleOrders,
        'bench-raw-one-at-a-time',
      );
    } finally {
      await stack.stop();
    }
    const saturation: RawFlowRound[] = [];
    Object.assign(output.journal, { rawFlowOneAtATime: oneAtATime, rawFlowSaturation: saturation });
    for (let round = 0; round < settings.rounds; round++) {
      saturation.push(await saturationRound(env, settings, output, { db, pool, round }));
    }
    output.profiler?.collectServices(stack.services.map(({ label }) => label));
    return { oneAtATime, saturation };
  } finally {
    await db.close();
  }
}
