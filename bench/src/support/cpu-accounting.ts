import { readdirSync, readFileSync } from 'node:fs';
import { childCpuSplitMs } from '../core/cpu';
import type { OrderFlowDb } from './order-flow-db';
import type { BenchStack } from './stack';

/** Process ids by what they are, for a CPU breakdown of one load. */
type Groups = Record<string, number[]>;

const BENCH = 'bench process (autocannon, observers)';
/** The label of PostgreSQL's CPU in a breakdown; each service's is its own name. */
export const POSTGRES = 'PostgreSQL (this database’s backends + background processes)';
const RABBITMQ = 'RabbitMQ (beam.smp, shared)';

/** The labels of a breakdown that are not the starter's services. */
export const NOT_SERVICES: readonly string[] = [BENCH, POSTGRES, RABBITMQ];

/** The services' figures of a breakdown by label, the other processes' left out. */
export function servicesOf<T>(byLabel: Record<string, T>): T[] {
  return Object.entries(byLabel)
    .filter(([label]) => !NOT_SERVICES.includes(label))
    .map(([, value]) => value);
}

/** The services' CPU per order, summed, from a breakdown by label. */
export function servicesMsPerOrder(msPerOrder: Record<string, number>): number {
  return servicesOf(msPerOrder).reduce((sum, ms) => sum + ms, 0);
}

/** The RabbitMQ node's Erlang VM(s) on this machine, if it runs here. */
function brokerPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'beam.smp')
        pids.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

async function groups(stack: BenchStack, db: OrderFlowDb): Promise<Groups> {
  const services = Object.fromEntries(
    stack.services.map(({ label, service }) => [label, [service.pid]]),
  );
  return {
    ...services,
    [BENCH]: [process.pid],
    [POSTGRES]: await db.serverPids(),
    [RABBITMQ]: brokerPids(),
  };
}

/** CPU in a process's own code (user) and in the kernel on its behalf (system), in ms. */
export type CpuSplit = { userMs: number; systemMs: number };

const NONE: CpuSplit = { userMs: 0, systemMs: 0 };

function readCpu(pids: number[]): Map<number, CpuSplit> {
  const cpu = new Map<number, CpuSplit>();
  for (const pid of pids) {
    try {
      cpu.set(pid, childCpuSplitMs(pid));
    } catch {
      // A process that is gone (a closed connection's backend) is left out.
    }
  }
  return cpu;
}

function spentSince(start: Map<number, CpuSplit>, end: Map<number, CpuSplit>): CpuSplit {
  let [userMs, systemMs] = [0, 0];
  for (const [pid, { userMs: user, systemMs: system }] of end) {
    const before = start.get(pid) ?? NONE;
    userMs += user - before.userMs;
    systemMs += system - before.systemMs;
  }
  return { userMs, systemMs };
}

/**
 * CPU time each group of processes spent between `start` and `stop`, split into user and
 * system. PostgreSQL backends are listed at both ends, so one opened during the load counts from
 * zero. The broker and PostgreSQL's background processes also serve whatever else runs on the
 * machine.
 */
export class CpuAccount {
  private constructor(
    private readonly stack: BenchStack,
    private readonly db: OrderFlowDb,
    private readonly before: Map<string, Map<number, CpuSplit>>,
  ) {}

  static async start(stack: BenchStack, db: OrderFlowDb): Promise<CpuAccount> {
    const before = new Map(
      Object.entries(await groups(stack, db)).map(([label, pids]) => [label, readCpu(pids)]),
    );
    return new CpuAccount(stack, db, before);
  }

  async stop(): Promise<Record<string, CpuSplit>> {
    const now = await groups(this.stack, this.db);
    const spent: Record<string, CpuSplit> = {};
    for (const [label, pids] of Object.entries(now)) {
      const start = this.before.get(label) ?? new Map<number, CpuSplit>();
      spent[label] = spentSince(start, readCpu([...new Set([...pids, ...start.keys()])]));
    }
    return spent;
  }
}
