import type { Row, Target } from './result-schema';
import { roundRatios, summarize, type Summary } from './stats';

export interface TargetSpec {
  on: Target['on'];
  op: Target['op'];
  value: number;
  text: string;
}

export interface RowSpec {
  metric: string;
  unit: string;
  raw?: number[];
  starter?: number[];
  target?: TargetSpec;
  /** False: the sides are shown without a ratio (counts that are zero when all is well). */
  ratio?: false;
}

function holds(value: number, op: Target['op'], limit: number): boolean {
  if (op === '>=') return value >= limit;
  if (op === '<=') return value <= limit;
  return value < limit;
}

/**
 * A target is judged on the median of the rounds (ratio or starter value), so one noisy round
 * neither makes nor breaks it; an `all` target (e.g. no Nagle stall) must hold in every sample.
 */
function judge(
  spec: TargetSpec,
  raw: Summary | null,
  starter: Summary | null,
  ratio: Summary | null,
) {
  if (spec.on === 'ratio') return ratio !== null && holds(ratio.median, spec.op, spec.value);
  if (spec.on === 'starter') return starter !== null && holds(starter.median, spec.op, spec.value);
  const every = [...(raw?.samples ?? []), ...(starter?.samples ?? [])];
  return every.length > 0 && every.every((value) => holds(value, spec.op, spec.value));
}

/** A table row: each side summarised over the rounds, their round-by-round ratio, the target. */
export function row(spec: RowSpec): Row {
  const raw = spec.raw ? summarize(spec.raw) : null;
  const starter = spec.starter ? summarize(spec.starter) : null;
  const ratio =
    spec.raw && spec.starter && spec.ratio !== false
      ? summarize(roundRatios(spec.starter, spec.raw))
      : null;
  const target = spec.target
    ? { ...spec.target, met: judge(spec.target, raw, starter, ratio) }
    : null;
  return { metric: spec.metric, unit: spec.unit, raw, starter, ratio, target };
}
