import { fixtureTopology } from '@app/testing';
import { SCENARIO_NAMES, type ScenarioName } from './core/result-schema';

export type BenchMode = 'full' | 'quick';

/** How much of each scenario a run does. `--quick` is the CI smoke test: it must finish in ~1 minute. */
export type BenchSettings = {
  mode: BenchMode;
  /**
   * Rounds of each micro scenario; each round runs every side once. A full run's is a multiple of
   * their three sides, so each side runs first, second and last equally often.
   */
  rounds: number;
  /** A discarded round first, so JIT and connection warm-up stay out of the samples. */
  warmup: boolean;
  publish: { rows: number; ceilingConfirmEvery: number };
  consume: { messages: number; prefetch: number };
  rpc: { sequentialCalls: number; concurrentCalls: number; inFlight: number; prefetch: number };
  endToEnd: EndToEndSettings;
};

export type EndToEndSettings = {
  rounds: number;
  paymentReplicas: number;
  /** The services with the tracing preload, as `npm run start:*` runs them; off for a diagnostic. */
  tracing: boolean;
  /** How long the services sit idle after boot before their RSS is read. */
  idleMs: number;
  rawCommitClients: number;
  rawCommitMs: number;
  /** An unmeasured load before the rounds (JIT, pools); 0 for none. */
  warmupSeconds: number;
  saturationConnections: number;
  saturationSeconds: number;
  fixedConnections: number;
  fixedSeconds: number;
  /**
   * PostgreSQL backends hold up to 10 s of their statistics while idle (PGSTAT_IDLE_INTERVAL),
   * so pg_stat_database.xact_commit is read this long after the last commit of a load.
   */
  statsSettleMs: number;
  completionTimeoutMs: number;
  /** Orders placed one at a time on the idle stack, for the latency of the path itself. */
  idleOrders: number;
};

const endToEnd = (mode: BenchMode, tracing: boolean): EndToEndSettings => ({
  rounds: mode === 'full' ? 2 : 1,
  paymentReplicas: 2,
  tracing,
  idleMs: mode === 'full' ? 3_000 : 2_000,
  rawCommitClients: 8,
  rawCommitMs: mode === 'full' ? 5_000 : 2_000,
  warmupSeconds: mode === 'full' ? 2 : 0,
  saturationConnections: 32,
  saturationSeconds: mode === 'full' ? 10 : 3,
  fixedConnections: 16,
  fixedSeconds: mode === 'full' ? 10 : 3,
  statsSettleMs: 11_000,
  completionTimeoutMs: 120_000,
  idleOrders: mode === 'full' ? 50 : 10,
});

export function benchSettings(mode: BenchMode, tracing = true): BenchSettings {
  const full = mode === 'full';
  return {
    mode,
    rounds: full ? 6 : 2,
    warmup: full,
    publish: { rows: full ? 10_000 : 2_000, ceilingConfirmEvery: 1_000 },
    consume: { messages: full ? 5_000 : 1_000, prefetch: fixtureTopology.queues.events.prefetch },
    rpc: {
      sequentialCalls: full ? 2_000 : 200,
      concurrentCalls: full ? 5_000 : 1_000,
      inFlight: 64,
      prefetch: fixtureTopology.queues.echo.prefetch,
    },
    endToEnd: endToEnd(mode, tracing),
  };
}

export interface BenchArguments {
  mode: BenchMode;
  /** `--only=consume,rpc`: run these scenarios alone (the others are reported as skipped). */
  only?: ScenarioName[];
  /** `--profile`: CPU profiles of every side and service (the timings then carry the sampler's cost). */
  profile: boolean;
  /** `--without-tracing`: the end-to-end services without the tracing preload (a diagnostic). */
  tracing: boolean;
  /** `--help`: print the usage and run nothing. */
  help: boolean;
}

export const BENCH_USAGE = `Usage: npm run bench [-- <option>…]

Runs every scenario (${SCENARIO_NAMES.join(', ')}) against the raw programs and the starter,
on a private virtual host and database, and writes bench/results/<time>.json.

Options:
  --quick             a smaller run of each scenario (about a minute; what CI runs)
  --only=<a,b,…>      run these scenarios alone; the others are reported as skipped
  --profile           CPU profiles of every side and service (the timings carry the sampler's cost)
  --without-tracing   the end-to-end services without the tracing preload (a diagnostic)
  --help              print this and run nothing
`;

export function parseArguments(argv: readonly string[]): BenchArguments {
  const parsed: BenchArguments = { mode: 'full', profile: false, tracing: true, help: false };
  for (const argument of argv) {
    if (argument === '--help' || argument === '-h') parsed.help = true;
    else if (argument === '--quick') parsed.mode = 'quick';
    else if (argument === '--profile') parsed.profile = true;
    else if (argument === '--without-tracing') parsed.tracing = false;
    else if (argument.startsWith('--only=')) parsed.only = scenarioList(argument.slice(7));
    else {
      throw new Error(
        `Unknown argument ${argument} (expected --quick, --profile, --without-tracing, --only=<scenario,…> or --help)`,
      );
    }
  }
  return parsed;
}

function scenarioList(text: string): ScenarioName[] {
  const names = text.split(',').filter(Boolean);
  const unknown = names.filter((name) => !(SCENARIO_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`--only takes scenarios among ${SCENARIO_NAMES.join(', ')}`);
  }
  return names as ScenarioName[];
}
