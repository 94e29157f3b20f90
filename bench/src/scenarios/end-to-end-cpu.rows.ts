import { row } from '../core/rows';
import type { Row } from '../core/result-schema';
import { NOT_SERVICES, POSTGRES, servicesMsPerOrder } from '../support/cpu-accounting';
import type { SaturationRound } from '../support/order-load';
import type { RawFlowRound } from '../support/raw-flow-load';
import type { ServiceWork } from '../support/service-work';
import { rawFlowLabel } from '../support/stack';
import { atMost } from './end-to-end.rows';

const SERVICES_CPU_PER_ORDER_MAX_MS = 8;
const POSTGRES_CPU_PER_ORDER_MAX_MS = 10;

/**
 * A label's CPU per order in each raw flow round: a service's is its raw role's ("raw order"),
 * the shared processes' (PostgreSQL, the broker, the bench) their own.
 */
function rawCpu(raw: RawFlowRound[], label: string): number[] | undefined {
  const values = raw.map((round) => {
    const { msPerOrder } = round.cpu;
    return msPerOrder[NOT_SERVICES.includes(label) ? label : rawFlowLabel(label)];
  });
  return values.every((value) => value !== undefined) ? values : undefined;
}

/**
 * CPU per order at saturation: the services' summed, and PostgreSQL's, against their targets;
 * raw: the raw order flow's processes summed, and PostgreSQL's under it.
 */
export function cpuRows(rounds: SaturationRound[], raw: RawFlowRound[]): Row[] {
  const services = (round: SaturationRound | RawFlowRound) =>
    servicesMsPerOrder(round.cpu.msPerOrder);
  return [
    row({
      metric: 'CPU per order at saturation, the Node.js services summed (raw: the raw flow’s)',
      unit: 'ms',
      raw: raw.map(services),
      starter: rounds.map(services),
      target: atMost(SERVICES_CPU_PER_ORDER_MAX_MS, 'ms'),
    }),
    row({
      metric: `CPU per order at saturation, ${POSTGRES} (raw: under the raw flow)`,
      unit: 'ms',
      raw: rawCpu(raw, POSTGRES),
      starter: rounds.map((round) => round.cpu.msPerOrder[POSTGRES]),
      target: atMost(POSTGRES_CPU_PER_ORDER_MAX_MS, 'ms'),
    }),
  ];
}

/**
 * Evidence for where the time goes: CPU per order in each process, and how busy the machine was;
 * raw: the same for the raw order flow.
 */
export function diagnosticRows(
  rounds: SaturationRound[],
  notifyingCommitsPerSecond: number,
  raw: RawFlowRound[],
): Row[] {
  const labels = Object.keys(rounds[0].cpu.msPerOrder).filter((label) => label !== POSTGRES);
  return [
    ...labels.map((label) =>
      row({
        metric: `diagnostic: ${label} CPU per order at saturation (raw: the raw flow’s)`,
        unit: 'ms',
        raw: rawCpu(raw, label),
        starter: rounds.map((r) => r.cpu.msPerOrder[label]),
      }),
    ),
    ...serviceWorkRows(rounds, raw),
    row({
      metric: 'diagnostic: machine CPU busy at saturation (all processes)',
      unit: '%',
      raw: raw.map((r) => r.cpu.machineBusyPercent),
      starter: rounds.map((r) => r.cpu.machineBusyPercent),
    }),
    row({
      metric: 'diagnostic: raw commit rate with a NOTIFY in each transaction, 8 clients',
      unit: 'commits/s',
      raw: [notifyingCommitsPerSecond],
    }),
  ];
}

/**
 * The Node.js services' CPU per order split into their own code's and the kernel's, and their
 * write calls: the same writes with more CPU means the difference is in the processes' own code.
 * Rows whose figures the kernel does not keep (/proc/<pid>/io) are left out.
 */
function serviceWorkRows(rounds: SaturationRound[], raw: RawFlowRound[]): Row[] {
  const figures = (rs: (SaturationRound | RawFlowRound)[], pick: keyof ServiceWork) => {
    const values = rs.map((round) => round.cpu.services[pick]);
    return values.every((value) => value !== undefined) ? values : undefined;
  };
  const serviceRow = (what: string, unit: string, pick: keyof ServiceWork) =>
    row({
      metric: `diagnostic: the Node.js services summed, ${what} at saturation (raw: the raw flow’s)`,
      unit,
      raw: figures(raw, pick),
      starter: figures(rounds, pick),
    });
  return [
    serviceRow('CPU per order in their own code (user)', 'ms', 'userMs'),
    serviceRow('CPU per order in the kernel (system)', 'ms', 'systemMs'),
    serviceRow('write calls per order (sockets and log files)', 'calls', 'writeCalls'),
    serviceRow('data written per order (sockets and log files)', 'KB', 'kbWritten'),
  ].filter((candidate) => candidate.raw !== null || candidate.starter !== null);
}
