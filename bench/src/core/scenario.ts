import type { Pool } from 'pg';
import type { BenchSettings } from '../settings';
import type { BenchEnv } from '../support/fixture';
import type { BenchProfiler } from '../support/profiler';
import type { Cleanup } from './cleanup';
import { errorMessage } from '@app/platform';
import { progress } from './log';
import type { JsonValue, Row, ScenarioName, ScenarioResult } from './result-schema';

/** What every scenario gets: the bench's own virtual host and database, and what to undo. */
export interface BenchContext {
  env: BenchEnv;
  settings: BenchSettings;
  /** A small pool on the bench database, for set-up and for reading results. */
  pool: Pool;
  cleanup: Cleanup;
  /** Where service logs go (under bench/results/, git-ignored). */
  logDir: string;
  /** Set with `--profile`. */
  profiler?: BenchProfiler;
}

/**
 * What a scenario has measured so far, by the names its details use: a scenario that fails
 * part way keeps these in the JSON (the rounds it finished), not an empty record.
 */
export type Journal = Record<string, unknown>;

export interface ScenarioOutcome {
  rows: Row[];
  /** The raw figures behind the rows, round by round, for the JSON file. */
  details: Record<string, JsonValue>;
}

/**
 * Runs one scenario; a failure is recorded with its reason and what it had measured, and the
 * bench goes on to the next.
 */
export async function runScenario(
  name: ScenarioName,
  run: (journal: Journal) => Promise<ScenarioOutcome>,
  only?: readonly ScenarioName[],
): Promise<ScenarioResult> {
  if (only && !only.includes(name)) {
    return { name, status: 'skipped', durationMs: 0, rows: [], details: {} };
  }
  progress(`${name}: starting`);
  const startedAt = performance.now();
  const journal: Journal = {};
  try {
    const outcome = await run(journal);
    const durationMs = performance.now() - startedAt;
    progress(`${name}: done in ${(durationMs / 1000).toFixed(1)} s`);
    return { name, status: 'ok', durationMs, ...outcome };
  } catch (error) {
    const durationMs = performance.now() - startedAt;
    progress(`${name}: FAILED after ${(durationMs / 1000).toFixed(1)} s: ${errorMessage(error)}`);
    return {
      name,
      status: 'failed',
      durationMs,
      error: errorMessage(error),
      rows: [],
      details: journal as Record<string, JsonValue>,
    };
  }
}

/** A scenario's measured window: sampled with `--profile`, only run otherwise. */
export function measuredWindow<T>(context: BenchContext, work: () => Promise<T>): Promise<T> {
  return context.profiler ? context.profiler.window(work) : work();
}
