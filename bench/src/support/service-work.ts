import { childWrites } from '../core/cpu';
import { type CpuSplit, servicesOf } from './cpu-accounting';
import type { BenchStack } from './stack';

/**
 * What the Node.js service processes did per completed order, summed over them: CPU in their own
 * code and in the kernel on their behalf, and their write calls (sockets and log files alike).
 * It tells whether a process costs more because it writes more or because it computes more. A
 * CPU profile cannot: the ticks that fall while a process waits for the CPU after a write are
 * counted in the write.
 */
export type ServiceWork = CpuSplit & {
  /** Left out where the kernel keeps no I/O accounting (/proc/<pid>/io). */
  writeCalls?: number;
  kbWritten?: number;
};

type Writes = { calls: number; bytes: number };

/** Write calls and bytes summed over processes; undefined unless every process has them. */
function writesOf(pids: number[]): Writes | undefined {
  let total: Writes | undefined = { calls: 0, bytes: 0 };
  for (const pid of pids) {
    const writes = childWrites(pid);
    total = writes &&
      total && { calls: total.calls + writes.calls, bytes: total.bytes + writes.bytes };
  }
  return total;
}

/** Counts the service processes' writes between `start` and `stop` (the processes stay up). */
export class WriteAccount {
  private constructor(
    private readonly pids: number[],
    private readonly before: Writes | undefined,
  ) {}

  static start(stack: BenchStack): WriteAccount {
    const pids = stack.services.map(({ service }) => service.pid);
    return new WriteAccount(pids, writesOf(pids));
  }

  /** The writes made since `start`, summed over the processes. */
  stop(): Writes | undefined {
    const [after, before] = [writesOf(this.pids), this.before];
    return after && before
      ? { calls: after.calls - before.calls, bytes: after.bytes - before.bytes }
      : undefined;
  }
}

/** The services' work per completed order, from a CPU breakdown by label and their writes. */
export function workPerOrder(
  cpuByLabel: Record<string, CpuSplit>,
  writes: Writes | undefined,
  orders: number,
): ServiceWork {
  const services = servicesOf(cpuByLabel);
  const perOrder = {
    userMs: services.reduce((sum, cpu) => sum + cpu.userMs, 0) / orders,
    systemMs: services.reduce((sum, cpu) => sum + cpu.systemMs, 0) / orders,
  };
  if (!writes) return perOrder;
  return {
    ...perOrder,
    writeCalls: writes.calls / orders,
    kbWritten: writes.bytes / 1024 / orders,
  };
}
