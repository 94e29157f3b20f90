import { percentile } from '../core/stats';

export type LatencyStats = {
  p50: number;
  p99: number;
  max: number;
};

export function latencyStats(latenciesMs: readonly number[]): LatencyStats {
  return {
    p50: percentile(latenciesMs, 50),
    p99: percentile(latenciesMs, 99),
    max: Math.max(...latenciesMs),
  };
}

/** `count` calls, each awaited before the next: the latency of one call, in ms. */
export async function sequentialCalls(
  count: number,
  call: (index: number) => Promise<unknown>,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let index = 0; index < count; index++) {
    const startedAt = performance.now();
    await call(index);
    latencies.push(performance.now() - startedAt);
  }
  return latencies;
}

/** `count` calls with `inFlight` of them outstanding at any time: calls/s, and their latencies. */
export async function concurrentCalls(
  count: number,
  inFlight: number,
  call: (index: number) => Promise<unknown>,
): Promise<{ callsPerSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const startedAt = performance.now();
      await call(index);
      latencies.push(performance.now() - startedAt);
    }
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { callsPerSecond: count / ((performance.now() - startedAt) / 1000), latencies };
}
