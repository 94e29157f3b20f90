import { childCpuSplitMs, childWrites } from '../core/cpu';
import type { BenchStack } from './stack';

/**
 * What the Node.js service processes did per completed order, summed over them: CPU in their own
 * code and in the kernel on their behalf, and their write calls (sockets and log files alike).
 * It tells whether a process costs more because it writes more or because it computes more: a
 * CPU profile cannot, since its sampling signal lands most often on a return from the kernel.
 */
export type ServiceWork = {
  userMs: number;
  systemMs: number;
  /** Undefined where the kernel keeps no I/O accounting (/proc/<pid>/io). */
  writeCalls?: number;
  kbWritten?: number;
};

class Counters {
  constructor(
    readonly userMs = 0,
    readonly systemMs = 0,
    readonly writeCalls: number | undefined = 0,
    readonly bytes: number | undefined = 0,
  ) {}

  static of(pids: number[]): Counters {
    return pids.reduce((total, pid) => {
      const { userMs, systemMs } = childCpuSplitMs(pid);
      const writes = childWrites(pid);
      return total.plus(new Counters(userMs, systemMs, writes?.calls, writes?.bytes));
    }, new Counters());
  }

  plus(other: Counters): Counters {
    return new Counters(
      this.userMs + other.userMs,
      this.systemMs + other.systemMs,
      sum(this.writeCalls, other.writeCalls),
      sum(this.bytes, other.bytes),
    );
  }

  minus(other: Counters): Counters {
    return this.plus(other.scaled(-1));
  }

  scaled(factor: number): Counters {
    const scale = (value: number | undefined) => (value === undefined ? undefined : value * factor);
    return new Counters(
      this.userMs * factor,
      this.systemMs * factor,
      scale(this.writeCalls),
      scale(this.bytes),
    );
  }

  /** Per order, for `orders` completed; the write figures only where the kernel keeps them. */
  perOrder(orders: number): ServiceWork {
    const { userMs, systemMs, writeCalls, bytes } = this.scaled(1 / orders);
    if (writeCalls === undefined || bytes === undefined) return { userMs, systemMs };
    return { userMs, systemMs, writeCalls, kbWritten: bytes / 1024 };
  }
}

const sum = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? undefined : a + b;

/** Counts the service processes' work between `start` and `stop` (the processes stay up). */
export class ServiceWorkAccount {
  private constructor(
    private readonly pids: number[],
    private readonly before: Counters,
  ) {}

  static start(stack: BenchStack): ServiceWorkAccount {
    const pids = stack.services.map(({ service }) => service.pid);
    return new ServiceWorkAccount(pids, Counters.of(pids));
  }

  /** The work done since `start`, summed over the processes. */
  stop(): Pick<Counters, 'perOrder'> {
    return Counters.of(this.pids).minus(this.before);
  }
}
