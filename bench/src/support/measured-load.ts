import { machineCpu } from '../core/cpu';
import { CpuAccount } from './cpu-accounting';
import { postLoad, type LoadOutcome } from './http-load';
import type { MemoryRecorder } from './memory-recorder';
import type { OrderFlowDb } from './order-flow-db';
import { type ServiceWork, WriteAccount, workPerOrder } from './service-work';
import type { BenchStack } from './stack';

/** Where the CPU went while a load ran, from the load's start to its last notification. */
export type LoadCpu = {
  /** CPU ms each process (group) spent per completed order, the bench's own included. */
  msPerOrder: Record<string, number>;
  /** Share of the whole machine busy (every process, other tenants included), in %. */
  machineBusyPercent: number;
  /** The Node.js services' user and kernel CPU and write calls per order, summed. */
  services: ServiceWork;
};

export interface Completed {
  load: LoadOutcome;
  cpu: LoadCpu;
}

export interface OrderLoadSpec {
  customerId: string;
  connections: number;
  seconds: number;
  /** Orders per second offered over all connections; omitted: as fast as they are answered. */
  rate?: number;
}

/** A small valid order (DESIGN §2), total far below the decline limit: every order gets PAID. */
export const orderBody = (customerId: string) => ({
  customerId,
  currency: 'EUR',
  items: [{ sku: 'book', quantity: 2, unitPrice: 1250 }],
});

/**
 * POSTs orders to the stack's order process (see postLoad), waits until every accepted order
 * is PAID with its notifications delivered, and accounts the CPU each process spent meanwhile.
 * `memory` samples the processes' RSS during the load; `loaded` is told when the load is over.
 */
export async function loadToCompletion(
  stack: BenchStack,
  db: OrderFlowDb,
  spec: OrderLoadSpec,
  options: { completionTimeoutMs: number; memory?: MemoryRecorder; loaded?: () => void },
): Promise<Completed> {
  const account = await CpuAccount.start(stack, db);
  const writes = WriteAccount.start(stack);
  const machineBefore = machineCpu();
  const work = async () => {
    const outcome = await postLoad({
      url: `${stack.order.url}/orders`,
      body: orderBody(spec.customerId),
      connections: spec.connections,
      seconds: spec.seconds,
      rate: spec.rate,
    });
    if (outcome.accepted === 0) throw new Error(`no order accepted (${JSON.stringify(outcome)})`);
    await db.untilComplete(spec.customerId, options.completionTimeoutMs);
    return outcome;
  };
  const load = options.memory
    ? await options.memory.whileLoaded(stack.services, work)
    : await work();
  options.loaded?.();
  const [machineAfter, written, spent] = [machineCpu(), writes.stop(), await account.stop()];
  const { orders } = await db.progress(spec.customerId);
  const msPerOrder = Object.fromEntries(
    Object.entries(spent).map(([label, cpu]) => [label, (cpu.userMs + cpu.systemMs) / orders]),
  );
  const busy =
    (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total);
  return {
    load,
    cpu: {
      msPerOrder,
      machineBusyPercent: busy * 100,
      services: workPerOrder(spent, written, orders),
    },
  };
}
