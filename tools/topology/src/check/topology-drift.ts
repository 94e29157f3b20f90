import type { DeclaredTopology } from '../declared/declared-topology';
import type { DeclaredBinding } from '../declared/recording-channel';
import type { LiveBinding, LiveTopology } from './broker-management';

/** One way the broker differs from what the services declare, as a line of the report. */
export interface Drift {
  kind:
    | 'missing exchange'
    | 'exchange differs'
    | 'stray exchange'
    | 'missing queue'
    | 'queue differs'
    | 'queue arguments'
    | 'stray queue'
    | 'missing binding'
    | 'extra binding';
  subject: string;
  detail: string;
}

/** Broker-made and per-connection entities: never declared by a service, never drift. */
const isBrokerOwned = (name: string) => name === '' || name.startsWith('amq.');

const bindingKey = (b: DeclaredBinding) => `${b.exchange}\u0000${b.queue}\u0000${b.routingKey}`;
const liveKey = (b: LiveBinding) =>
  bindingKey({ exchange: b.source, queue: b.destination, routingKey: b.routing_key });
const describeBinding = (b: DeclaredBinding) => `${b.exchange} → ${b.queue} (${b.routingKey})`;

/** Compares the declared topology with the live one, in a stable order. */
export function topologyDrift(declared: DeclaredTopology, live: LiveTopology): Drift[] {
  return [
    ...exchangeDrift(declared, live),
    ...queueDrift(declared, live),
    ...bindingDrift(declared, live),
  ];
}

function exchangeDrift(declared: DeclaredTopology, live: LiveTopology): Drift[] {
  const drift: Drift[] = [];
  for (const exchange of declared.exchanges) {
    const found = live.exchanges.find((candidate) => candidate.name === exchange.name);
    if (!found) {
      drift.push({
        kind: 'missing exchange',
        subject: exchange.name,
        detail: `a ${exchange.type} exchange`,
      });
    } else if (found.type !== exchange.type || found.durable !== exchange.durable) {
      drift.push({
        kind: 'exchange differs',
        subject: exchange.name,
        detail: `declared ${shape(exchange)}, live ${shape(found)}`,
      });
    }
  }
  for (const exchange of live.exchanges) {
    if (isBrokerOwned(exchange.name) || declared.exchanges.some((e) => e.name === exchange.name))
      continue;
    drift.push({
      kind: 'stray exchange',
      subject: exchange.name,
      detail: 'declared by no service',
    });
  }
  return drift;
}

const durability = (entity: { durable: boolean }) => (entity.durable ? 'durable' : 'transient');

const shape = (exchange: { type: string; durable: boolean }) =>
  `${durability(exchange)} ${exchange.type}`;

/** The owner named for what every service declares beside its own queues: the event log. */
const EVERY_SERVICE = 'every service';

/** Each service's queues and bindings, and what they all declare (the event log). */
function owners(declared: DeclaredTopology) {
  return [
    ...declared.services.map((view) => ({ name: view.service.name, ...view })),
    { name: EVERY_SERVICE, queues: [], bindings: [], ...declared.shared },
  ];
}

function queueDrift(declared: DeclaredTopology, live: LiveTopology): Drift[] {
  const drift: Drift[] = [];
  const declaredNames = new Set<string>();
  for (const view of owners(declared)) {
    for (const queue of view.queues) {
      declaredNames.add(queue.name);
      const found = live.queues.find((candidate) => candidate.name === queue.name);
      const owner = `(${view.name})`;
      if (!found) {
        drift.push({
          kind: 'missing queue',
          subject: `${queue.name} ${owner}`,
          detail: 'not on the broker',
        });
        continue;
      }
      // A transient queue loses what it holds when the broker restarts: dead letters, too.
      if (found.durable !== queue.durable) {
        drift.push({
          kind: 'queue differs',
          subject: `${queue.name} ${owner}`,
          detail: `declared ${durability(queue)}, live ${durability(found)}`,
        });
      }
      const differences = argumentDifferences(queue.arguments, found.arguments);
      if (differences.length > 0) {
        drift.push({
          kind: 'queue arguments',
          subject: `${queue.name} ${owner}`,
          detail: differences.join('; '),
        });
      }
    }
  }
  for (const queue of live.queues) {
    if (queue.exclusive || isBrokerOwned(queue.name) || declaredNames.has(queue.name)) continue;
    const bound = live.bindings.filter(
      (b) => b.destination === queue.name && !isBrokerOwned(b.source),
    );
    const detail = bound.length
      ? `declared by no service; bound to ${bound.map((b) => `${b.source} (${b.routing_key})`).join(', ')}`
      : 'declared by no service';
    drift.push({ kind: 'stray queue', subject: queue.name, detail });
  }
  return drift;
}

/** Each argument declared one way and live another, or on one side only. */
export function argumentDifferences(
  declared: Record<string, unknown>,
  live: Record<string, unknown>,
): string[] {
  const names = [...new Set([...Object.keys(declared), ...Object.keys(live)])].sort();
  return names.flatMap((name) => {
    const [want, have] = [declared[name], live[name]];
    if (JSON.stringify(want) === JSON.stringify(have)) return [];
    if (want === undefined) return [`${name} ${JSON.stringify(have)} is not declared`];
    if (have === undefined) return [`${name} ${JSON.stringify(want)} is missing`];
    return [`${name} declared ${JSON.stringify(want)}, live ${JSON.stringify(have)}`];
  });
}

function bindingDrift(declared: DeclaredTopology, live: LiveTopology): Drift[] {
  const wanted = owners(declared).flatMap((view) =>
    view.bindings.map((binding) => ({ binding, service: view.name })),
  );
  const liveKeys = new Set(live.bindings.map(liveKey));
  const wantedKeys = new Set(wanted.map(({ binding }) => bindingKey(binding)));
  const declaredQueues = new Set(owners(declared).flatMap((v) => v.queues.map((q) => q.name)));
  const missing: Drift[] = wanted
    .filter(({ binding }) => !liveKeys.has(bindingKey(binding)))
    .map(({ binding, service }) => ({
      kind: 'missing binding',
      subject: describeBinding(binding),
      detail:
        service === EVERY_SERVICE
          ? `every service declares it: ${binding.queue} keeps every event of ${binding.exchange}`
          : `a handler of ${service} takes ${binding.routingKey} from ${binding.queue}`,
    }));
  // Bindings of a stray queue are named in its own line.
  const extra: Drift[] = live.bindings
    .filter((b) => !isBrokerOwned(b.source) && !wantedKeys.has(liveKey(b)))
    .filter((b) => b.destination_type !== 'queue' || declaredQueues.has(b.destination))
    .map((b) => ({
      kind: 'extra binding',
      subject: describeBinding({
        exchange: b.source,
        queue: b.destination,
        routingKey: b.routing_key,
      }),
      detail: `no handler on ${b.destination} takes ${b.routing_key}`,
    }));
  return [...missing, ...extra];
}
