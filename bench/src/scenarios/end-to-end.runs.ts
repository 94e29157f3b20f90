import { progress } from '../core/log';
import type { BenchContext, Journal } from '../core/scenario';
import { median } from '../core/stats';
import { formatNumber } from '../core/table';
import type { IdleOrdersRun } from '../support/idle-orders';
import type { FixedRateRun, OrderLoad, SaturationRound } from '../support/order-load';

async function saturationRounds(
  context: BenchContext,
  load: OrderLoad,
  journal: Journal,
): Promise<SaturationRound[]> {
  const { rounds } = context.settings.endToEnd;
  const results: SaturationRound[] = [];
  journal.saturation = results;
  for (let round = 0; round < rounds; round++) {
    const result = await load.saturationRound(round);
    results.push(result);
    progress(
      `end-to-end: round ${round + 1}/${rounds}: ${formatNumber(result.ordersPerSecond)} orders/s, ` +
        `${result.commitsPerOrder.toFixed(2)} commits/order, raw ${formatNumber(result.rawCommitsPerSecond)} commits/s`,
    );
  }
  return results;
}

async function fixedRun(
  load: OrderLoad,
  offered: number,
  customerId: string,
  countCommits = false,
): Promise<FixedRateRun> {
  const run = await load.fixedRate(offered, customerId, countCommits);
  progress(
    `end-to-end: ${formatNumber(offered)} orders/s offered: PAID p50 ${formatNumber(run.toPaid.p50)} ms, p99 ${formatNumber(run.toPaid.p99)} ms`,
  );
  return run;
}

export interface StarterRun {
  idle: IdleOrdersRun;
  rounds: SaturationRound[];
  fixed: FixedRateRun;
  sustained: FixedRateRun;
  notifying: number;
}

/** The starter's runs, each kept in `journal` under its details' name once it is done. */
export async function measureStarter(
  context: BenchContext,
  load: OrderLoad,
  journal: Journal,
): Promise<StarterRun> {
  await load.warmUp();
  const idle = await load.oneAtATime('bench-one-at-a-time');
  journal.oneAtATime = idle;
  progress(
    `end-to-end: one order at a time: PAID p50 ${formatNumber(idle.toPaid.p50)} ms, p99 ${formatNumber(idle.toPaid.p99)} ms`,
  );
  const notifying = await load.notifyingCommitRate();
  journal.notifyingCommitsPerSecond = notifying;
  const rounds = await saturationRounds(context, load, journal);
  // Latency at a rate these services do sustain, half what they completed; before the overload
  // below: run after it, this one found the machine still busy with it.
  const sustained = await fixedRun(
    load,
    0.5 * median(rounds.map((r) => r.ordersPerSecond)),
    'bench-half-measured',
    true,
  );
  journal.halfMeasuredRate = sustained;
  const fixed = await fixedRun(
    load,
    0.5 * median(rounds.map((r) => r.commitBoundOrdersPerSecond)),
    'bench-half-commit-bound',
  );
  journal.fixedRate = fixed;
  return { idle, rounds, fixed, sustained, notifying };
}
