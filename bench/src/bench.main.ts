import { isolate } from '@app/testing';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import buildIfStale from '../../test/support/build-if-stale';
import { Cleanup } from './core/cleanup';
import { progress } from './core/log';
import { describeMachine } from './core/machine';
import { RESULTS_DIR, resultFile, writeResult } from './core/output';
import type { BenchResult, ScenarioName, ScenarioResult } from './core/result-schema';
import { type BenchContext, runScenario } from './core/scenario';
import { resultTable } from './core/table';
import { consumeScenario } from './scenarios/consume.scenario';
import { endToEndScenario } from './scenarios/end-to-end.scenario';
import { memoryScenario } from './scenarios/memory.scenario';
import { publishScenario } from './scenarios/publish.scenario';
import { rpcScenario } from './scenarios/rpc.scenario';
import { BENCH_USAGE, benchSettings, parseArguments } from './settings';
import { bootFixture, createRawTables } from './support/fixture';
import { MemoryRecorder } from './support/memory-recorder';
import { BenchProfiler } from './support/profiler';
import { rawPool } from './support/raw-pg';
import { errorMessage } from '@app/platform';

/** Migrates the fixture's schema and declares its topology once, then adds the raw tables. */
async function prepare(context: BenchContext): Promise<void> {
  const app = await bootFixture(context.env);
  await app.close();
  await createRawTables(context.pool);
}

async function runAll(context: BenchContext, only?: ScenarioName[]): Promise<ScenarioResult[]> {
  const memory = new MemoryRecorder();
  // memory reads the end-to-end scenario's processes: asking for it runs that too.
  const selected = only?.includes('memory') ? [...only, 'end-to-end' as const] : only;
  return [
    await runScenario('publish', (journal) => publishScenario(context, journal), selected),
    await runScenario('consume', (journal) => consumeScenario(context, journal), selected),
    await runScenario('rpc', (journal) => rpcScenario(context, journal), selected),
    await runScenario(
      'end-to-end',
      (journal) => endToEndScenario(context, memory, journal),
      selected,
    ),
    await runScenario('memory', () => memoryScenario(memory), selected),
  ];
}

async function main(cleanup: Cleanup): Promise<number> {
  const { mode, only, profile, tracing, help } = parseArguments(process.argv.slice(2));
  if (help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  const settings = benchSettings(mode, tracing);
  const startedAt = new Date();
  const loadAverageAtStart = loadavg();
  progress(`bench (${settings.mode}): building what is stale`);
  buildIfStale();
  const isolation = await isolate('bench');
  cleanup.add('bench vhost and database', () => isolation.dispose());
  const pool = rawPool(isolation.env.DATABASE_URL, 4);
  cleanup.add('bench pool', () => pool.end());
  const stamp = startedAt.toISOString().replace(/:/g, '-');
  const logDir = join(RESULTS_DIR, 'logs', stamp);
  mkdirSync(logDir, { recursive: true });
  const profiler = profile ? new BenchProfiler(join(RESULTS_DIR, 'profiles', stamp)) : undefined;
  if (profiler) cleanup.add('profiler', () => profiler.close());
  const context: BenchContext = { env: isolation.env, settings, pool, cleanup, logDir, profiler };
  await prepare(context);
  const scenarios = await runAll(context, only);
  const result: BenchResult = {
    schemaVersion: 1,
    mode: settings.mode,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    machine: await describeMachine(pool, loadAverageAtStart),
    settings: { ...settings, only: only ?? null, profile },
    scenarios,
  };
  if (profiler) process.stdout.write(`\n${profiler.report()}\n`);
  return report(result, resultFile(startedAt));
}

function report(result: BenchResult, file: string): number {
  process.stdout.write(`\n${resultTable(result.scenarios)}\n\n`);
  const problems = writeResult(result, file);
  const failed = result.scenarios.filter((scenario) => scenario.status === 'failed');
  progress(`results: ${file} (${(result.durationMs / 1000).toFixed(1)} s)`);
  for (const problem of problems) process.stderr.write(`malformed result: ${problem}\n`);
  for (const scenario of failed)
    process.stderr.write(`${scenario.name} failed: ${scenario.error}\n`);
  return problems.length === 0 && failed.length === 0 ? 0 : 1;
}

const cleanup = new Cleanup();
cleanup.exitOnSignals();
void main(cleanup)
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${errorMessage(error)}\n`);
    return 1;
  })
  .then(async (code) => {
    await cleanup.runAll();
    process.exit(code);
  });
