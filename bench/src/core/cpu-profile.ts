/** The parts of a V8 `.cpuprofile` the summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  /** µs before each sample; the delta after a sample is the time spent where it was taken. */
  timeDeltas?: number[];
}

/** Self time in ms, by owner (an npm package, node core, the bundle, GC) and by function. */
export interface SelfTime {
  totalMs: number;
  byOwner: Map<string, number>;
  byFunction: Map<string, number>;
}

export const BUNDLE = 'bundled code (libs + app or bench)';
const NOT_WORK = new Set(['(root)', '(idle)']);

/** Who owns a frame: `pg`, `@nestjs/core`, `node core`, the bundle, `(garbage collector)`… */
export function ownerOf(url: string, functionName: string): string {
  const packageAt = url.lastIndexOf('/node_modules/');
  if (packageAt >= 0) {
    const [first, second] = url.slice(packageAt + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (url.startsWith('node:')) return 'node core';
  if (url.includes('/dist/')) return BUNDLE;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  return url;
}

export function emptySelfTime(): SelfTime {
  return { totalMs: 0, byOwner: new Map(), byFunction: new Map() };
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

/** Adds a profile's self time (idle left out) to `into`; profiles of several runs add up. */
export function addSelfTime(into: SelfTime, profile: CpuProfile): SelfTime {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let index = 0; index < samples.length; index++) {
    const frame = frames.get(samples[index]);
    const ms = (deltas[index + 1] ?? 0) / 1000;
    if (!frame || NOT_WORK.has(frame.functionName) || ms <= 0) continue;
    const owner = ownerOf(frame.url, frame.functionName);
    into.totalMs += ms;
    add(into.byOwner, owner, ms);
    add(into.byFunction, `${frame.functionName || '(anonymous)'} · ${owner}`, ms);
  }
  return into;
}

/** The largest entries of a map with their share of the total, as " 12.3 %  name". */
export function largest(map: Map<string, number>, totalMs: number, count: number): string[] {
  return [...map.entries()]
    .sort((left, right) => right[1] - left[1])
    .slice(0, count)
    .map(([name, ms]) => `${((ms / totalMs) * 100).toFixed(1).padStart(5)} %  ${name}`);
}
