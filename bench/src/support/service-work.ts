import { childCpuSplitMs, childWrites } from '../core/cpu';
import type { BenchStack } from './stack';

/**
 * What the Node.js service processes did per completed order, summed over them: CPU in their own
 * code and in the kernel on their behalf, and their write calls (sockets and log files alike).
 * It tells whether a process costs more because it writes more or because it computes more. A
 * CPU profile cannot: the ticks that fall while a process waits for the CPU after a write are
 * counted in the write.
 */
export type ServiceWork = {
  userMs: number;
  systemMs: number;
  /** Left out where the kernel keeps no I/O accounting (/proc/<pid>/io). */
  writeCalls?: number;
  kbWritten?: number;
};

/** Counters summed over processes; `writes` undefined unless every process has them. */
type Counters = { userMs: number; systemMs: number; writes?: { calls: number; bytes: number } };

function countersOf(pids: number[]): Counters {
  const total: Counters = { userMs: 0, systemMs: 0, writes: { calls: 0, bytes: 0 } };
  for (const pid of pids) {
    const { userMs, systemMs } = childCpuSplitMs(pid);
    const writes = childWrites(pid);
    total.userMs += userMs;
    total.systemMs += systemMs;
    total.writes =
      writes && total.writes
        ? { calls: total.writes.calls + writes.calls, bytes: total.writes.bytes + writes.bytes }
        : undefined;
  }
  return total;
}

/** Counts the service processes' work between `start` and `stop` (the processes stay up). */
export class ServiceWorkAccount {
  private constructor(
    private readonly pids: number[],
    private readonly before: Counters,
  ) {}

  static start(stack: BenchStack): ServiceWorkAccount {
    const pids = stack.services.map(({ service }) => service.pid);
    return new ServiceWorkAccount(pids, countersOf(pids));
  }

  /** The work done since `start`, summed over the processes. */
  stop(): Counters {
    const after = countersOf(this.pids);
    const { before } = this;
    return {
      userMs: after.userMs - before.userMs,
      systemMs: after.systemMs - before.systemMs,
      writes:
        after.writes && before.writes
          ? {
              calls: after.writes.calls - before.writes.calls,
              bytes: after.writes.bytes - before.writes.bytes,
            }
          : undefined,
    };
  }
}

/** `spent` (from `ServiceWorkAccount.stop`) per completed order. */
export function workPerOrder({ userMs, systemMs, writes }: Counters, orders: number): ServiceWork {
  const perOrder = { userMs: userMs / orders, systemMs: systemMs / orders };
  if (!writes) return perOrder;
  return {
    ...perOrder,
    writeCalls: writes.calls / orders,
    kbWritten: writes.bytes / 1024 / orders,
  };
}
