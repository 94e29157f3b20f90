import { isolate } from '@app/testing';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { progress, sleep } from '../core/log';
import { measureStarter, type StarterRun } from './end-to-end.runs';
import type { BenchContext, Journal, ScenarioOutcome } from '../core/scenario';
import { formatNumber } from '../core/table';
import { idleMemory, type MemoryRecorder } from '../support/memory-recorder';
import { OrderFlowDb } from '../support/order-flow-db';
import { measureRawFlow, type RawFlowRun } from '../support/raw-flow-load';
import { dropRawFlowTables } from '../support/raw-flow-schema';
import { Pool } from 'pg';
import { OrderLoad } from '../support/order-load';
import { BenchService } from '../support/services';
import { BenchStack } from '../support/stack';
import { cpuRows, diagnosticRows } from './end-to-end-cpu.rows';
import { fixedRateRows, idleRows, saturationRows, sustainedRows } from './end-to-end.rows';
import { errorMessage } from '@app/platform';

function outcome(context: BenchContext, starter: StarterRun, raw: RawFlowRun): ScenarioOutcome {
  const { idle, rounds, fixed, sustained, notifying } = starter;
  return {
    rows: [
      ...idleRows(idle, raw.oneAtATime),
      ...saturationRows(context.settings, rounds, raw.saturation),
      ...cpuRows(rounds, raw.saturation),
      ...sustainedRows(sustained),
      ...fixedRateRows(fixed),
      ...diagnosticRows(rounds, notifying, raw.saturation),
    ],
    details: {
      settings: { ...context.settings.endToEnd },
      oneAtATime: idle,
      saturation: rounds,
      fixedRate: fixed,
      halfMeasuredRate: sustained,
      notifyingCommitsPerSecond: notifying,
      rawFlow: raw,
    },
  };
}

/** The raw order flow in the same database and virtual host, once the services are stopped. */
async function measureRaw(
  context: BenchContext,
  env: Record<string, string>,
  output: { logDir: string; journal: Journal },
) {
  const pool = new Pool({
    connectionString: env.DATABASE_URL,
    max: 2,
    application_name: 'bench-raw-flow-setup',
  });
  pool.on('error', () => undefined);
  try {
    const raw = await measureRawFlow(
      env,
      context.settings.endToEnd,
      { ...output, profiler: context.profiler },
      pool,
    );
    const [round] = raw.saturation;
    progress(
      `end-to-end: raw flow: one at a time PAID p50 ${formatNumber(raw.oneAtATime.toPaid.p50)} ms; ` +
        `${formatNumber(round.ordersPerSecond)} orders/s, ${round.commitsPerOrder.toFixed(2)} commits/order`,
    );
    await dropRawFlowTables(pool);
    return raw;
  } finally {
    await pool.end();
  }
}

/**
 * Boots the stack and, beside it, one more payment process without the tracing preload, a
 * memory diagnostic that is stopped before any load. Reads everyone's idle memory.
 */
async function bootAndMeasureIdle(
  context: BenchContext,
  env: Record<string, string>,
  logDir: string,
  memory: MemoryRecorder,
) {
  const log = join(logDir, 'payment-without-preload.log');
  const [stack, bare] = await Promise.all([
    BenchStack.start(env, context.settings.endToEnd, logDir, context.profiler),
    BenchService.start('payment', env, log, { preload: false }).then((service) => service.ready()),
  ]);
  try {
    await sleep(context.settings.endToEnd.idleMs);
    await memory.recordIdle(stack.services);
    memory.withoutPreload = await idleMemory(bare);
  } catch (error) {
    await stack.stop();
    throw error;
  } finally {
    await bare.stop();
  }
  return stack;
}

/**
 * end to end: the built services as processes (with the tracing preload, as in production) on
 * a virtual host and database of their own. Orders are POSTed at saturation, then at half the
 * rate the raw commit rate allows; every order is followed to PAID and to its notifications.
 * Then the raw order flow (plain pg + amqplib + node:http processes) under the same loads.
 * Records the services' memory on the way, for the memory scenario.
 */
export async function endToEndScenario(
  context: BenchContext,
  memory: MemoryRecorder,
  journal: Journal,
): Promise<ScenarioOutcome> {
  if (!context.settings.endToEnd.tracing) {
    progress(
      'end-to-end: the services without the tracing preload (--without-tracing), a diagnostic',
    );
  }
  const isolation = await isolate('bench-e2e');
  const dispose = context.cleanup.add('end-to-end vhost and database', () => isolation.dispose());
  const db = new OrderFlowDb(isolation.env.DATABASE_URL);
  const logDir = join(context.logDir, 'services');
  mkdirSync(logDir, { recursive: true });
  try {
    const stack = await bootAndMeasureIdle(context, isolation.env, logDir, memory);
    const stop = context.cleanup.add('service processes', () => stack.stop());
    let starter: StarterRun;
    try {
      const load = new OrderLoad(
        context.settings.endToEnd,
        stack,
        db,
        memory,
        context.env.DATABASE_URL,
      );
      starter = await measureStarter(context, load, journal).catch((error: unknown) => {
        throw new Error(`${errorMessage(error)}\n${stack.tails()}`);
      });
    } finally {
      await stop();
      context.profiler?.collectServices(stack.services.map(({ label }) => label));
    }
    return outcome(context, starter, await measureRaw(context, isolation.env, { logDir, journal }));
  } finally {
    await db.close();
    await dispose();
  }
}
