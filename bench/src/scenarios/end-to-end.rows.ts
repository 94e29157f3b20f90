import { row } from '../core/rows';
import type { Row } from '../core/result-schema';
import type { BenchSettings } from '../settings';
import { POSTGRES, servicesMsPerOrder } from '../support/cpu-accounting';
import type { IdleOrdersRun } from '../support/idle-orders';
import type { FixedRateRun, SaturationRound } from '../support/order-load';
import type { RawFlowRound } from '../support/raw-flow-load';

/** One order on an idle stack: two RabbitMQ hops and five short transactions, no queueing. */
const IDLE_PAID_P50_LIMIT_MS = 15;
const IDLE_PAID_P99_LIMIT_MS = 40;
/** At half the rate the services sustained, an order waits for little more than its own path. */
const SUSTAINED_PAID_P99_LIMIT_MS = 250;
const SATURATION_RATIO_MIN = 0.25;
const COMMITS_PER_ORDER_MAX = 6;

export const atMost = (value: number, unit: string) => ({
  on: 'starter' as const,
  op: '<=' as const,
  value,
  text: `≤ ${value} ${unit}`,
});

/**
 * Time to PAID of orders placed one at a time, each after the one before is PAID; raw: the raw
 * order flow's, placed the same way.
 */
export function idleRows(idle: IdleOrdersRun, raw: IdleOrdersRun): Row[] {
  const metric = (what: string) => `${what}, ${idle.orders} orders one at a time (idle)`;
  return [
    row({
      metric: metric('time to PAID, p50'),
      unit: 'ms',
      raw: [raw.toPaid.p50],
      starter: [idle.toPaid.p50],
      target: atMost(IDLE_PAID_P50_LIMIT_MS, 'ms'),
    }),
    row({
      metric: metric('time to PAID, p99'),
      unit: 'ms',
      raw: [raw.toPaid.p99],
      starter: [idle.toPaid.p99],
      target: atMost(IDLE_PAID_P99_LIMIT_MS, 'ms'),
    }),
    row({
      metric: 'diagnostic: same orders, hop 1 (order tx start → payment tx start), p50',
      unit: 'ms',
      raw: [raw.toPayment.p50],
      starter: [idle.toPayment.p50],
    }),
    row({
      metric: 'diagnostic: same orders, hop 2 (payment tx start → settling tx start), p50',
      unit: 'ms',
      raw: [raw.paymentToPaid.p50],
      starter: [idle.paymentToPaid.p50],
    }),
  ];
}

/**
 * At saturation. The first row's raw side is the yardstick (what the raw commit rate allows at
 * the starter's commits per order); the rows that say so compare with the raw order flow under
 * the same load.
 */
export function saturationRows(
  settings: BenchSettings,
  rounds: SaturationRound[],
  raw: RawFlowRound[],
): Row[] {
  const pick = (read: (round: SaturationRound) => number) => rounds.map(read);
  const flow = (read: (round: SaturationRound | RawFlowRound) => number) => ({
    raw: raw.map(read),
    starter: rounds.map(read),
  });
  const { saturationConnections, saturationSeconds, rawCommitClients } = settings.endToEnd;
  const load = `${saturationConnections} conn., ${saturationSeconds} s`;
  return [
    row({
      metric: `orders/s at saturation (${load}); raw = raw commits/s ÷ commits per order`,
      unit: 'orders/s',
      raw: pick((r) => r.commitBoundOrdersPerSecond),
      starter: pick((r) => r.ordersPerSecond),
      target: {
        on: 'ratio',
        op: '>=',
        value: SATURATION_RATIO_MIN,
        text: `ratio ≥ ${SATURATION_RATIO_MIN}`,
      },
    }),
    row({
      metric: `orders/s at saturation (${load}); raw = the raw order flow`,
      unit: 'orders/s',
      ...flow((r) => r.ordersPerSecond),
    }),
    row({
      metric: 'PostgreSQL commits per order; raw = the raw order flow',
      unit: 'commits',
      ...flow((r) => r.commitsPerOrder),
      target: atMost(COMMITS_PER_ORDER_MAX, 'commits'),
    }),
    row({
      metric: `raw commit rate, ${rawCommitClients} clients`,
      unit: 'commits/s',
      raw: pick((r) => r.rawCommitsPerSecond),
    }),
    row({
      metric: 'HTTP 202 at saturation',
      unit: 'orders/s',
      ...flow((r) => r.acceptedPerSecond),
    }),
    row({
      metric: 'requests not answered 202 at saturation (other statuses, errors, timeouts)',
      unit: 'requests',
      ...flow((r) => r.unanswered),
      ratio: false,
    }),
    row({ metric: 'time to PAID at saturation, p50', unit: 'ms', ...flow((r) => r.toPaid.p50) }),
    row({ metric: 'time to PAID at saturation, p99', unit: 'ms', ...flow((r) => r.toPaid.p99) }),
  ];
}

/**
 * Half the yardstick's rate: more than the services complete on this machine, so an overload
 * test (how far latency runs away), with no target.
 */
export function fixedRateRows(fixed: FixedRateRun): Row[] {
  const diagnostic = (metric: string, unit: string, value: number) =>
    row({ metric: `diagnostic: ${metric}`, unit, starter: [value] });
  return [
    diagnostic(
      'offered rate: ½ × raw commits/s ÷ commits per order',
      'orders/s',
      fixed.offeredPerSecond,
    ),
    diagnostic('HTTP 202 at ½ rate', 'orders/s', fixed.acceptedPerSecond),
    diagnostic('time to PAID at ½ rate, p50', 'ms', fixed.toPaid.p50),
    diagnostic('time to PAID at ½ rate, p99', 'ms', fixed.toPaid.p99),
    diagnostic(
      'time to order-paid notification delivered at ½ rate, p99',
      'ms',
      fixed.toNotified.p99,
    ),
  ];
}

/** Latency at a rate the services do sustain (half what they completed), hop by hop. */
export function sustainedRows(sustained: FixedRateRun): Row[] {
  const rate = `${sustained.offeredPerSecond.toFixed(0)} orders/s (½ of the measured saturation)`;
  const diagnostic = (metric: string, value: number) =>
    row({ metric: `diagnostic: ${metric}`, unit: 'ms', starter: [value] });
  return [
    row({
      metric: `time to PAID at ${rate}, p50`,
      unit: 'ms',
      starter: [sustained.toPaid.p50],
    }),
    row({
      metric: `time to PAID at ${rate}, p99`,
      unit: 'ms',
      starter: [sustained.toPaid.p99],
      target: atMost(SUSTAINED_PAID_P99_LIMIT_MS, 'ms'),
    }),
    diagnostic(
      `time to order-paid notification delivered at ${rate}, p99`,
      sustained.toNotified.p99,
    ),
    diagnostic(
      'same rate, hop 1 (order tx start → payment tx start), p50',
      sustained.toPayment.p50,
    ),
    diagnostic(
      'same rate, hop 2 (payment tx start → settling tx start), p50',
      sustained.paymentToPaid.p50,
    ),
    diagnostic(
      'same rate, CPU per order, the Node.js services summed',
      servicesMsPerOrder(sustained.cpu.msPerOrder),
    ),
    diagnostic(`same rate, CPU per order, ${POSTGRES}`, sustained.cpu.msPerOrder[POSTGRES]),
    ...(sustained.commitsPerOrder === undefined
      ? []
      : [
          row({
            metric: 'diagnostic: same rate, PostgreSQL commits per order',
            unit: 'commits',
            starter: [sustained.commitsPerOrder],
          }),
        ]),
  ];
}
