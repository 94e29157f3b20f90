import type { DeclaredTopology } from '../declared/declared-topology';
import type { Drift } from './topology-drift';

/** The one line of a topology in step with the broker. */
export function inStepLine(declared: DeclaredTopology, vhost: string): string {
  const queues = declared.services.reduce((sum, view) => sum + view.queues.length, 0);
  const bindings = declared.services.reduce((sum, view) => sum + view.bindings.length, 0);
  return `Topology OK: the ${declared.services.length} services' ${queues} queues and ${bindings} bindings match virtual host "${vhost}".`;
}

/** The drift as an aligned list, one line each, under a heading saying where and how much. */
export function driftReport(drift: readonly Drift[], vhost: string): string {
  const width = Math.max(...drift.map((entry) => entry.kind.length));
  const lines = drift.map(
    (entry) => `  ${entry.kind.padEnd(width)}  ${entry.subject}: ${entry.detail}`,
  );
  return [
    `Topology drift in virtual host "${vhost}": ${drift.length} difference${drift.length === 1 ? '' : 's'} from what the services declare`,
    ...lines,
  ].join('\n');
}
