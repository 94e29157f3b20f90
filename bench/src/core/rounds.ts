import type { BenchProfiler } from '../support/profiler';
import { progress } from './log';
import type { Journal } from './scenario';

export type RoundRunner<T> = (round: number) => Promise<T>;

export interface RoundsOptions<K extends string, T> {
  label: string;
  rounds: number;
  /** Runs every side once first and discards the results (JIT, caches, connection warm-up). */
  warmup: boolean;
  sides: Record<K, RoundRunner<T>>;
  /** One short line per measured value, for the progress output. */
  describe: (value: T) => string;
  /** With `--profile`: names the side being measured, for the windows it samples. */
  profiler?: BenchProfiler;
  /** Holds every finished round under `rounds`, for a scenario that fails in a later one. */
  journal: Journal;
}

/**
 * Runs the sides one after the other, round after round, rotating which side goes first, so
 * neither side always runs on a warmer or a colder machine; every other cycle of rotations runs
 * them in reverse, so each pair a target compares also runs in either order equally often (two
 * cycles: six rounds of three sides). On a shared, noisy machine only values measured side by
 * side in the same round are compared.
 */
export async function runRounds<K extends string, T>(
  options: RoundsOptions<K, T>,
): Promise<Record<K, T[]>> {
  const names = Object.keys(options.sides) as K[];
  const results = Object.fromEntries(names.map((name) => [name, [] as T[]])) as Record<K, T[]>;
  options.journal.rounds = results;
  if (options.warmup) {
    for (const name of names) await options.sides[name](-1);
    progress(`${options.label}: warm-up done`);
  }
  for (let round = 0; round < options.rounds; round++) {
    const cycle = Math.floor(round / names.length);
    const base = cycle % 2 === 0 ? names : [...names].reverse();
    const order = base.map((_, index) => base[(index + round) % base.length]);
    const line: string[] = [];
    for (const name of order) {
      if (options.profiler) options.profiler.side = `${options.label}: ${name}`;
      const value = await options.sides[name](round);
      if (options.profiler) options.profiler.side = undefined;
      results[name].push(value);
      line.push(`${name} ${options.describe(value)}`);
    }
    progress(`${options.label}: round ${round + 1}/${options.rounds}: ${line.join(' · ')}`);
  }
  return results;
}
