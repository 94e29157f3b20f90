import { row } from '../core/rows';
import type { Row } from '../core/result-schema';
import type { BenchSettings } from '../settings';
import { NOT_SERVICES, POSTGRES } from '../support/cpu-accounting';
import type { IdleOrdersRun } from '../support/idle-orders';
import type { FixedRateRun, SaturationRound } from '../support/order-load';

/** One order on an idle stack: two RabbitMQ hops and five short transactions, no queueing. */
const IDLE_PAID_P50_LIMIT_MS = 15;
const IDLE_PAID_P99_LIMIT_MS = 40;
/** At half the rate the services sustained, an order waits for little more than its own path. */
const SUSTAINED_PAID_P99_LIMIT_MS = 250;
const SATURATION_RATIO_MIN = 0.25;
const COMMITS_PER_ORDER_MAX = 6;
const SERVICES_CPU_PER_ORDER_MAX_MS = 8;
const POSTGRES_CPU_PER_ORDER_MAX_MS = 10;

const atMost = (value: number, unit: string) => ({
  on: 'starter' as const,
  op: '<=' as const,
  value,
  text: `≤ ${value} ${unit}`,
});

/** Time to PAID of orders placed one at a time, each after the one before is PAID. */
export function idleRows(idle: IdleOrdersRun): Row[] {
  const metric = (what: string) => `${what}, ${idle.orders} orders one at a time (idle)`;
  return [
    row({
      metric: metric('time to PAID, p50'),
      unit: 'ms',
      starter: [idle.toPaid.p50],
      target: atMost(IDLE_PAID_P50_LIMIT_MS, 'ms'),
    }),
    row({
      metric: metric('time to PAID, p99'),
      unit: 'ms',
      starter: [idle.toPaid.p99],
      target: atMost(IDLE_PAID_P99_LIMIT_MS, 'ms'),
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
      target: {
        on: 'ratio',
        op: '>=',
        value: SATURATION_RATIO_MIN,
        text: `ratio ≥ ${SATURATION_RATIO_MIN}`,
      },
    }),
    row({
      metric: 'PostgreSQL commits per order',
      unit: 'commits',
      starter: pick((r) => r.commitsPerOrder),
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
  const latency = (metric: string, value: number) =>
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
    latency(`time to order-paid notification delivered at ${rate}, p99`, sustained.toNotified.p99),
    latency('same rate, hop 1 (order tx start → payment tx start), p50', sustained.toPayment.p50),
    latency(
      'same rate, hop 2 (payment tx start → settling tx start), p50',
      sustained.paymentToPaid.p50,
    ),
  ];
}

/** CPU per order at saturation: the services' summed, and PostgreSQL's, against their targets. */
export function cpuRows(rounds: SaturationRound[]): Row[] {
  const services = (round: SaturationRound) =>
    Object.entries(round.cpu.msPerOrder)
      .filter(([label]) => !NOT_SERVICES.includes(label))
      .reduce((sum, [, ms]) => sum + ms, 0);
  return [
    row({
      metric: 'CPU per order at saturation, the Node.js services summed',
      unit: 'ms',
      starter: rounds.map(services),
      target: atMost(SERVICES_CPU_PER_ORDER_MAX_MS, 'ms'),
    }),
    row({
      metric: `CPU per order at saturation, ${POSTGRES}`,
      unit: 'ms',
      starter: rounds.map((round) => round.cpu.msPerOrder[POSTGRES]),
      target: atMost(POSTGRES_CPU_PER_ORDER_MAX_MS, 'ms'),
    }),
  ];
}

/** Evidence for where the time goes: CPU per order in each process, and how busy the machine was. */
export function diagnosticRows(
  rounds: SaturationRound[],
  notifyingCommitsPerSecond: number,
): Row[] {
  const labels = Object.keys(rounds[0].cpu.msPerOrder).filter((label) => label !== POSTGRES);
  return [
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
