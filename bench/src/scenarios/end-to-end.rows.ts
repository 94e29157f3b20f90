import { row } from '../core/rows';
import type { Row } from '../core/result-schema';
import type { BenchSettings } from '../settings';
import type { IdleOrdersRun } from '../support/idle-orders';
import type { FixedRateRun, SaturationRound } from '../support/order-load';

const PAID_P99_LIMIT_MS = 500;
/** One order on an idle stack: two RabbitMQ hops and five short transactions, no queueing. */
const IDLE_PAID_P50_LIMIT_MS = 15;
const IDLE_PAID_P99_LIMIT_MS = 40;

/** Time to PAID of orders placed one at a time, each after the one before is PAID. */
export function idleRows(idle: IdleOrdersRun): Row[] {
  const metric = (what: string) => `${what}, ${idle.orders} orders one at a time (idle)`;
  const limit = (value: number) => ({
    on: 'starter' as const,
    op: '<=' as const,
    value,
    text: `≤ ${value} ms`,
  });
  return [
    row({
      metric: metric('time to PAID, p50'),
      unit: 'ms',
      starter: [idle.toPaid.p50],
      target: limit(IDLE_PAID_P50_LIMIT_MS),
    }),
    row({
      metric: metric('time to PAID, p99'),
      unit: 'ms',
      starter: [idle.toPaid.p99],
      target: limit(IDLE_PAID_P99_LIMIT_MS),
    }),
    row({
      metric: 'diagnostic: same orders, hop 1 (order tx start → payment tx start), p50',
      unit: 'ms',
      starter: [idle.toPayment.p50],
    }),
    row({
      metric: 'diagnostic: same orders, hop 2 (payment tx start → settling tx start), p50',
      unit: 'ms',
      starter: [idle.paymentToPaid.p50],
    }),
  ];
}

export function saturationRows(settings: BenchSettings, rounds: SaturationRound[]): Row[] {
  const pick = (read: (round: SaturationRound) => number) => rounds.map(read);
  const { saturationConnections, saturationSeconds, rawCommitClients } = settings.endToEnd;
  return [
    row({
      metric: `orders/s at saturation (${saturationConnections} conn., ${saturationSeconds} s); raw = raw commits/s ÷ commits per order`,
      unit: 'orders/s',
      raw: pick((r) => r.commitBoundOrdersPerSecond),
      starter: pick((r) => r.ordersPerSecond),
      target: { on: 'ratio', op: '>=', value: 0.8, text: 'ratio ≥ 0.8' },
    }),
    row({
      metric: 'PostgreSQL commits per order',
      unit: 'commits',
      starter: pick((r) => r.commitsPerOrder),
    }),
    row({
      metric: `raw commit rate, ${rawCommitClients} clients`,
      unit: 'commits/s',
      raw: pick((r) => r.rawCommitsPerSecond),
    }),
    row({
      metric: 'HTTP 202 at saturation',
      unit: 'orders/s',
      starter: pick((r) => r.acceptedPerSecond),
    }),
    row({
      metric: 'time to PAID at saturation, p50',
      unit: 'ms',
      starter: pick((r) => r.toPaid.p50),
    }),
    row({
      metric: 'time to PAID at saturation, p99',
      unit: 'ms',
      starter: pick((r) => r.toPaid.p99),
    }),
  ];
}

export function fixedRateRows(fixed: FixedRateRun): Row[] {
  return [
    row({
      metric: 'offered rate: ½ × raw commits/s ÷ commits per order',
      unit: 'orders/s',
      starter: [fixed.offeredPerSecond],
    }),
    row({ metric: 'HTTP 202 at ½ rate', unit: 'orders/s', starter: [fixed.acceptedPerSecond] }),
    row({ metric: 'time to PAID at ½ rate, p50', unit: 'ms', starter: [fixed.toPaid.p50] }),
    row({
      metric: 'time to PAID at ½ rate, p99',
      unit: 'ms',
      starter: [fixed.toPaid.p99],
      target: {
        on: 'starter',
        op: '<',
        value: PAID_P99_LIMIT_MS,
        text: `< ${PAID_P99_LIMIT_MS} ms`,
      },
    }),
    row({
      metric: 'time to order-paid notification delivered at ½ rate, p50',
      unit: 'ms',
      starter: [fixed.toNotified.p50],
    }),
    row({
      metric: 'time to order-paid notification delivered at ½ rate, p99',
      unit: 'ms',
      starter: [fixed.toNotified.p99],
    }),
  ];
}

/** Latency at a rate the services do sustain (half what they completed), hop by hop. */
function sustainedRows(sustained: FixedRateRun): Row[] {
  const rate = `${sustained.offeredPerSecond.toFixed(0)} orders/s (½ of the measured saturation)`;
  const latency = (metric: string, value: number) =>
    row({ metric: `diagnostic: ${metric}`, unit: 'ms', starter: [value] });
  return [
    latency(`time to PAID at ${rate}, p50`, sustained.toPaid.p50),
    latency(`time to PAID at ${rate}, p99`, sustained.toPaid.p99),
    latency(`time to order-paid notification delivered at ${rate}, p99`, sustained.toNotified.p99),
    latency('same rate, hop 1 (order tx start → payment tx start), p50', sustained.toPayment.p50),
    latency(
      'same rate, hop 2 (payment tx start → settling tx start), p50',
      sustained.paymentToPaid.p50,
    ),
  ];
}

/** Evidence for where the time goes: CPU per order in each process, and how busy the machine was. */
export function diagnosticRows(
  rounds: SaturationRound[],
  notifyingCommitsPerSecond: number,
  sustained: FixedRateRun,
): Row[] {
  const labels = Object.keys(rounds[0].cpu.msPerOrder);
  return [
    ...sustainedRows(sustained),
    ...labels.map((label) =>
      row({
        metric: `diagnostic: ${label} CPU per order at saturation`,
        unit: 'ms',
        starter: rounds.map((r) => r.cpu.msPerOrder[label]),
      }),
    ),
    row({
      metric: 'diagnostic: machine CPU busy at saturation (all processes)',
      unit: '%',
      starter: rounds.map((r) => r.cpu.machineBusyPercent),
    }),
    row({
      metric: 'diagnostic: raw commit rate with a NOTIFY in each transaction, 8 clients',
      unit: 'commits/s',
      raw: [notifyingCommitsPerSecond],
    }),
  ];
}
