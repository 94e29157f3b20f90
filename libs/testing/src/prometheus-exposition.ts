/** One sample of a /metrics page: a series' name, its labels and its value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** Metric family name → counter, gauge, histogram, summary or untyped. */
  types: Map<string, string>;
}

const SAMPLE_LINE = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL_PAIR = /([A-Za-z_]\w*)="((?:[^"\\]|\\.)*)"/g;

/** Reads a page in the Prometheus text exposition format. */
export function parseExposition(text: string): Exposition {
  const exposition: Exposition = { samples: [], types: new Map() };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (line.startsWith('#')) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type) exposition.types.set(type[1], type[2]);
      continue;
    }
    const sample = SAMPLE_LINE.exec(line);
    if (!sample) throw new Error(`Unreadable exposition line: ${line}`);
    const labels = Object.fromEntries(
      [...(sample[2] ?? '').matchAll(LABEL_PAIR)].map(([, name, value]) => [
        name,
        value.replace(/\\(["\\n])/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped)),
      ]),
    );
    exposition.samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  return exposition;
}

/**
 * Whether a series name belongs to what the page exposes: a sample of that name, or a declared
 * family it is part of (a counter, gauge or histogram without samples yet still declares itself;
 * a histogram's series are <name>_bucket, _count and _sum).
 */
export function exposes(exposition: Exposition, name: string): boolean {
  if (exposition.samples.some((sample) => sample.name === name)) return true;
  if (exposition.types.has(name)) return exposition.types.get(name) !== 'histogram';
  const family = /^(.+)_(bucket|count|sum)$/.exec(name);
  if (!family) return false;
  const type = exposition.types.get(family[1]);
  return type === 'histogram' || (type === 'summary' && family[2] !== 'bucket');
}

/** The value of the first series of `name` whose labels include `labels` on a page; 0 when none. */
export function seriesValue(text: string, name: string, labels: Record<string, string>): number {
  const found = parseExposition(text).samples.find(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
  );
  return found?.value ?? 0;
}
