import { row } from '../core/rows';
import type { Row } from '../core/result-schema';
import type { ScenarioOutcome } from '../core/scenario';
import type { IdleMemory, MemoryRecorder } from '../support/memory-recorder';

const MB = 1024 * 1024;
const IDLE_LIMIT_MB = 120;

function serviceRows(label: string, idle: IdleMemory, loadedBytes?: number): Row[] {
  return [
    row({
      metric: `${label}, idle RSS`,
      unit: 'MB',
      starter: [idle.rssBytes / MB],
      target: { on: 'starter', op: '<=', value: IDLE_LIMIT_MB, text: `≤ ${IDLE_LIMIT_MB} MB` },
    }),
    ...(idle.heapUsedBytes === null
      ? []
      : [
          row({
            metric: `${label}, idle V8 heap used`,
            unit: 'MB',
            starter: [idle.heapUsedBytes / MB],
          }),
        ]),
    ...(loadedBytes === undefined
      ? []
      : [row({ metric: `${label}, max RSS under load`, unit: 'MB', starter: [loadedBytes / MB] })]),
  ];
}

/**
 * memory: each service's resident set size idle after boot (target ≤ 120 MB), its V8 heap, and
 * the highest RSS seen under the end-to-end loads; plus a payment process without the tracing
 * preload, as a diagnostic. Measured on the end-to-end scenario's processes.
 */
export function memoryScenario(memory: MemoryRecorder): Promise<ScenarioOutcome> {
  if (memory.idle.size === 0) {
    return Promise.reject(new Error('no service was measured: the end-to-end stack did not start'));
  }
  const rows = [...memory.idle].flatMap(([label, idle]) =>
    serviceRows(label, idle, memory.loadedBytes.get(label)),
  );
  const bare = memory.withoutPreload;
  if (bare) {
    rows.push(
      row({
        metric: 'diagnostic: payment without the tracing preload, idle RSS',
        unit: 'MB',
        starter: [bare.rssBytes / MB],
      }),
    );
  }
  return Promise.resolve({
    rows,
    details: {
      idle: Object.fromEntries(memory.idle),
      maxLoadedBytes: Object.fromEntries(memory.loadedBytes),
      withoutPreload: bare ?? null,
    },
  });
}
