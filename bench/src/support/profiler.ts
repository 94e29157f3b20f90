import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import {
  addSelfTime,
  type CpuProfile,
  emptySelfTime,
  largest,
  type SelfTime,
} from '../core/cpu-profile';

/**
 * `--profile`: where the CPU goes, side by side. The measured window of each micro scenario's
 * side is sampled in the bench process (node:inspector); each service of the end-to-end run is started
 * with `--cpu-prof` and read after it exits. The `.cpuprofile` files (one per side, the last
 * round; one per service process) open in Chrome DevTools or speedscope.
 */
export class BenchProfiler {
  /** The side a micro scenario is measuring now (set by runRounds; unset while warming up). */
  side?: string;
  private readonly summaries = new Map<string, SelfTime>();
  private session?: Session;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /**
   * Samples a scenario's measured window (not its set-up) under the current side's name;
   * outside a measured round it only runs `work`.
   */
  window<T>(work: () => Promise<T>): Promise<T> {
    return this.side ? this.around(this.side, work) : work();
  }

  /** Runs `work` with the sampler on and adds what it sampled to `label`'s summary. */
  async around<T>(label: string, work: () => Promise<T>): Promise<T> {
    const session = await this.connected();
    await session.post('Profiler.start');
    try {
      return await work();
    } finally {
      const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
      this.record(label, profile);
      writeFileSync(this.file(label), JSON.stringify(profile));
    }
  }

  /** Node arguments that make a service write its profile into its own folder when it exits. */
  serviceArguments(label: string): string[] {
    const folder = join(this.dir, this.slug(label));
    mkdirSync(folder, { recursive: true });
    return ['--cpu-prof', `--cpu-prof-dir=${folder}`];
  }

  /** Reads the profiles the stopped services wrote. */
  collectServices(labels: readonly string[]): void {
    for (const label of labels) {
      const folder = join(this.dir, this.slug(label));
      for (const name of readdirSync(folder).filter((file) => file.endsWith('.cpuprofile'))) {
        this.record(label, JSON.parse(readFileSync(join(folder, name), 'utf8')) as CpuProfile);
      }
    }
  }

  /** Per label: the owners (packages, node core, the bundle, GC) and the functions that took most. */
  report(): string {
    const sections = [...this.summaries.entries()].map(([label, time]) =>
      [
        `${label}: ${Math.round(time.totalMs)} ms of CPU sampled`,
        ...largest(time.byOwner, time.totalMs, 12).map((line) => `  ${line}`),
        '  top functions:',
        ...largest(time.byFunction, time.totalMs, 10).map((line) => `    ${line}`),
      ].join('\n'),
    );
    return [`CPU profiles (self time), files in ${this.dir}`, ...sections].join('\n\n');
  }

  async close(): Promise<void> {
    if (!this.session) return;
    await this.session.post('Profiler.disable');
    this.session.disconnect();
  }

  private record(label: string, profile: CpuProfile): void {
    this.summaries.set(label, addSelfTime(this.summaries.get(label) ?? emptySelfTime(), profile));
  }

  private async connected(): Promise<Session> {
    if (!this.session) {
      this.session = new Session();
      this.session.connect();
      await this.session.post('Profiler.enable');
    }
    return this.session;
  }

  private file(label: string): string {
    return join(this.dir, `${this.slug(label)}.cpuprofile`);
  }

  private slug(label: string): string {
    return label.replace(/[^\w-]+/g, '-');
  }
}
