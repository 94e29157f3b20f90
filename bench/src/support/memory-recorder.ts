import type { BenchService } from './services';
import type { LabelledService } from './stack';

const SAMPLE_EVERY_MS = 200;
const HEAP_USED = 'nodejs_heap_size_used_bytes';

export type IdleMemory = {
  rssBytes: number;
  /** V8 heap in use, from the service's /metrics: what of the RSS is JavaScript objects. */
  heapUsedBytes: number | null;
};

/**
 * Resident memory of each service process: once idle after boot, and the highest value seen
 * while a load runs (sampled every 200 ms from /proc).
 */
export class MemoryRecorder {
  readonly idle = new Map<string, IdleMemory>();
  readonly loadedBytes = new Map<string, number>();
  /** A payment process started without the tracing preload, idle: what the preload costs. */
  withoutPreload?: IdleMemory;

  async recordIdle(services: LabelledService[]): Promise<void> {
    for (const { label, service } of services) this.idle.set(label, await idleMemory(service));
  }

  async whileLoaded<T>(services: LabelledService[], work: () => Promise<T>): Promise<T> {
    const sample = () => {
      for (const { label, service } of services) {
        try {
          const bytes = service.rssBytes();
          this.loadedBytes.set(label, Math.max(bytes, this.loadedBytes.get(label) ?? 0));
        } catch {
          // The process exited; the scenario reports that on its own.
        }
      }
    };
    const timer = setInterval(sample, SAMPLE_EVERY_MS);
    try {
      return await work();
    } finally {
      clearInterval(timer);
      sample();
    }
  }
}

export async function idleMemory(service: BenchService): Promise<IdleMemory> {
  const rssBytes = service.rssBytes();
  const none: Record<string, number> = {};
  const gauges = await service.metrics([HEAP_USED]).catch(() => none);
  return { rssBytes, heapUsedBytes: gauges[HEAP_USED] ?? null };
}
