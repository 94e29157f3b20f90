import { waitFor } from '@app/testing';
import { sleep } from '../core/log';
import { latencyStats, type LatencyStats } from './latency';
import type { OrderFlowDb } from './order-flow-db';

export type IdleOrdersRun = {
  orders: number;
  toPaid: LatencyStats;
  /** The two hops of toPaid: order → payment transaction, payment → settling transaction. */
  toPayment: LatencyStats;
  paymentToPaid: LatencyStats;
};

/** A pause between two orders, so each one meets services with nothing else to do. */
const PAUSE_MS = 200;

/**
 * Orders placed one at a time on an otherwise idle stack: each is POSTed only once the one
 * before is PAID and a pause has passed. What it measures is the latency of the path itself
 * (relay wake-ups, hops, transactions), which a load hides behind its queues.
 */
export async function idleOrders(
  orderUrl: string,
  db: OrderFlowDb,
  count: number,
  customerId: string,
): Promise<IdleOrdersRun> {
  for (let index = 0; index < count; index++) {
    const response = await fetch(`${orderUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        customerId,
        currency: 'EUR',
        items: [{ sku: 'book', quantity: 2, unitPrice: 1250 }],
      }),
    });
    if (response.status !== 202) throw new Error(`POST /orders answered ${response.status}`);
    const target = index + 1;
    await waitFor(async () => (await db.progress(customerId)).paid >= target, {
      description: `order ${target} of ${customerId} paid`,
      timeoutMs: 30_000,
      intervalMs: 20,
    });
    await sleep(PAUSE_MS);
  }
  await db.untilComplete(customerId, 30_000);
  const flow = await db.flow(customerId);
  return {
    orders: flow.orders,
    toPaid: latencyStats(flow.toPaidMs),
    toPayment: latencyStats(flow.toPaymentMs),
    paymentToPaid: latencyStats(flow.paymentToPaidMs),
  };
}
