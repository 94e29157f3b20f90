/** What one measured quantity did over the rounds of a scenario. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** One value per round, in round order. */
  samples: number[];
}

function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = ascending(values);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Nearest-rank percentile: the smallest sample with at least p % of the samples at or below it.
 * No interpolation, so a p99 is always a latency that really happened.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error(`p${p} of no values`);
  const sorted = ascending(values);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('no samples to summarize');
  let min = samples[0];
  let max = samples[0];
  for (const value of samples) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { median: median(samples), min, max, samples: [...samples] };
}

/** Starter ÷ raw, round by round: both sides of a ratio come from the same round. */
export function roundRatios(starter: readonly number[], raw: readonly number[]): number[] {
  if (starter.length !== raw.length) throw new Error('ratio of unequal round counts');
  return starter.map((value, round) => value / raw[round]);
}
