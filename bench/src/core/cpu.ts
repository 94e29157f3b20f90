import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU time this process has used so far, in ms (user + system). */
export function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * CPU time another process has used so far, in ms, from /proc/<pid>/stat (Linux): in its own
 * code (user), and in the kernel on its behalf (system calls).
 */
export function childCpuSplitMs(pid: number): { userMs: number; systemMs: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself contain spaces, closed by the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime] = [Number(fields[11]), Number(fields[12])];
  return { userMs: (utime / clockTicks()) * 1000, systemMs: (stime / clockTicks()) * 1000 };
}

/**
 * Write-family system calls (write, writev, …: sockets and files alike) and the bytes they
 * passed, from /proc/<pid>/io; undefined where the kernel keeps no such accounting.
 */
export function childWrites(pid: number): { calls: number; bytes: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/io`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1]);
  const [calls, bytes] = [field('syscw'), field('wchar')];
  return Number.isFinite(calls) && Number.isFinite(bytes) ? { calls, bytes } : undefined;
}

/** Busy and total jiffies of the whole machine, from /proc/stat, to tell how loaded it was. */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  const idle = values[3] + (values[4] ?? 0);
  return { busy: total - idle, total };
}

export type Throughput = {
  perSecond: number;
  /** CPU this process spent per item (µs), the libraries' or the raw client's own cost. */
  cpuUsPerItem: number;
};

/** Times `work` that handles `items`: items/s and this process's CPU per item. */
export async function throughput(items: number, work: () => Promise<unknown>): Promise<Throughput> {
  const cpuBefore = processCpuMs();
  const startedAt = performance.now();
  await work();
  const elapsedMs = performance.now() - startedAt;
  return {
    perSecond: items / (elapsedMs / 1000),
    cpuUsPerItem: ((processCpuMs() - cpuBefore) * 1000) / items,
  };
}
