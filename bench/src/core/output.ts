import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchResult, benchResultSchema } from './result-schema';

export const RESULTS_DIR = join(process.cwd(), 'bench', 'results');

/**
 * Writes the result and validates what was written, read back from the file: a NaN or an
 * Infinity that JSON.stringify silently turned into null is caught here too. Returns the
 * problems found; none means well-formed.
 */
export function writeResult(result: BenchResult, file: string): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  const parsed = benchResultSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

export function resultFile(startedAt: Date): string {
  return join(RESULTS_DIR, `${startedAt.toISOString().replace(/:/g, '-')}.json`);
}
