import { z } from 'zod';

/**
 * The shape of bench/results/<timestamp>.json. The bench validates what it writes against it
 * and exits 1 when it does not match, which is what the CI smoke run (--quick) relies on.
 */
export const summarySchema = z
  .object({
    median: z.number(),
    min: z.number(),
    max: z.number(),
    samples: z.array(z.number()).min(1),
  })
  .refine((s) => s.min <= s.median && s.median <= s.max, 'expected min ≤ median ≤ max');

export const targetSchema = z.object({
  /** What is compared: the starter ÷ raw ratio, the starter's own value, or every sample. */
  on: z.enum(['ratio', 'starter', 'all']),
  op: z.enum(['>=', '<=', '<']),
  value: z.number(),
  text: z.string().min(1),
  met: z.boolean(),
});

export const rowSchema = z
  .object({
    metric: z.string().min(1),
    unit: z.string().min(1),
    /**
     * The hand-written baseline: the raw publisher, consumer or RPC; in end to end, the raw order
     * flow's processes, or where the metric says so the raw-commit-rate yardstick.
     */
    raw: summarySchema.nullable(),
    starter: summarySchema.nullable(),
    ratio: summarySchema.nullable(),
    target: targetSchema.nullable(),
  })
  .refine((row) => row.raw !== null || row.starter !== null, 'a row needs raw or starter values')
  .refine(
    (row) => row.ratio === null || (row.raw !== null && row.starter !== null),
    'a ratio needs both sides',
  );

export const SCENARIO_NAMES = ['publish', 'consume', 'rpc', 'end-to-end', 'memory'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export const scenarioSchema = z
  .object({
    name: z.enum(SCENARIO_NAMES),
    /** `skipped`: left out with --only. */
    status: z.enum(['ok', 'failed', 'skipped']),
    durationMs: z.number().nonnegative(),
    error: z.string().optional(),
    rows: z.array(rowSchema),
    details: z.record(z.string(), z.json()),
  })
  .refine(
    (s) =>
      s.status === 'failed'
        ? Boolean(s.error)
        : s.status === 'ok'
          ? s.rows.length > 0
          : s.rows.length === 0,
    'a failed scenario says why; a scenario that ran has rows; a skipped one has none',
  );

export const machineSchema = z.object({
  cpuModel: z.string(),
  cores: z.number().int().positive(),
  memoryBytes: z.number().positive(),
  platform: z.string(),
  node: z.string(),
  rabbitmq: z.string(),
  postgresql: z.string(),
  loadAverageAtStart: z.array(z.number()).length(3),
  loadAverageAtEnd: z.array(z.number()).length(3),
});

export const benchResultSchema = z.object({
  schemaVersion: z.literal(1),
  mode: z.enum(['full', 'quick']),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  machine: machineSchema,
  settings: z.record(z.string(), z.json()),
  scenarios: z.array(scenarioSchema).length(SCENARIO_NAMES.length),
});

export type Row = z.infer<typeof rowSchema>;
export type Target = z.infer<typeof targetSchema>;
export type ScenarioResult = z.infer<typeof scenarioSchema>;
export type Machine = z.infer<typeof machineSchema>;
export type BenchResult = z.infer<typeof benchResultSchema>;
export type JsonValue = z.infer<ReturnType<typeof z.json>>;
