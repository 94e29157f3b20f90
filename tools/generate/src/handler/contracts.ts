import { assertEventType, contractName, eventFile } from '../names';
import type { Workspace } from '../workspace';

const CONTRACTS = 'libs/contracts/src';

/** How a contract travels: published on the events exchange, sent to a work queue, or asked. */
export type ContractKind = 'event' | 'job' | 'rpc';

export interface KnownContract {
  /** Its exported name: `OrderPaid` for order.paid. */
  name: string;
  kind: ContractKind;
  file: string;
}

/**
 * Every message contract in libs/contracts, by type or routing key. Jobs are the `*.job.ts`
 * files (libs/contracts/src/jobs), RPCs those made with defineRpc; the rest are events.
 */
export function contractsByType(workspace: Workspace): Map<string, KnownContract> {
  const found = new Map<string, KnownContract>();
  for (const file of workspace.find(CONTRACTS, '.ts')) {
    const text = workspace.read(file);
    for (const match of text.matchAll(
      /export const (\w+) = (defineMessage|defineRpc)\(\s*'([^']+)'/g,
    )) {
      const kind = match[2] === 'defineRpc' ? 'rpc' : file.endsWith('.job.ts') ? 'job' : 'event';
      found.set(match[3], { name: match[1], kind, file });
    }
  }
  return found;
}

/**
 * Every name libs/contracts exports, with the file that declares it: contracts, and the types
 * beside them (OrderItem, NotificationKind…), which `export *` would collide with.
 */
function exportsOf(workspace: Workspace): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of workspace.find(CONTRACTS, '.ts')) {
    for (const name of exportedNames(workspace.read(file))) {
      if (!found.has(name)) found.set(name, file);
    }
  }
  return found;
}

/** The names a module's text exports: declared with `export`, or listed in `export { … }`. */
function exportedNames(text: string): string[] {
  const declared = [
    ...text.matchAll(
      /export (?:declare )?(?:const enum|async function|abstract class|const|let|var|type|interface|class|function|enum) (\w+)/g,
    ),
  ].map(([, name]) => name);
  const listed = [...text.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap(([, list]) =>
    list
      .split(',')
      .map(
        (item) =>
          item
            .trim()
            .split(/\s+as\s+/)
            .at(-1)
            ?.replace(/^type\s+/, '') ?? '',
      )
      .filter((name) => /^\w+$/.test(name)),
  );
  return [...declared, ...listed];
}

/** Why `generate handler` cannot take a type that is not an event, in the user's terms. */
function notAnEvent(type: string, contract: KnownContract): string {
  const where = `${contract.name} in ${contract.file}`;
  return contract.kind === 'rpc'
    ? `${type} is the routing key of an RPC (${where}): it is answered by a @MessagePattern ` +
        `method, not handled as an event`
    : `${type} is a job (${where}), sent straight to its work queue and never published on ` +
        `the events exchange: a handler for it here would receive nothing`;
}

/**
 * The contract of `type`: the existing one (order.paid is OrderPaid), or a new file in
 * libs/contracts/src/events with a placeholder schema to fill in, exported from the index.
 * A job or an RPC of that name is refused, as is a new contract whose name is taken.
 */
export function ensureContract(
  workspace: Workspace,
  type: string,
): { name: string; created: boolean } {
  assertEventType(type);
  const known = contractsByType(workspace);
  const existing = known.get(type);
  if (existing?.kind === 'event') return { name: existing.name, created: false };
  if (existing) throw new Error(notAnEvent(type, existing));
  const name = contractName(type);
  const clash = exportsOf(workspace).get(name);
  if (clash) throw new Error(`${type} would be named ${name}, which ${clash} exports already`);
  const file = `events/${eventFile(type)}.event`;
  workspace.create(
    `${CONTRACTS}/${file}.ts`,
    `import { z } from 'zod';
import { defineMessage, type PayloadOf } from '../message-contract';

/**
 * \`${type}\`: fill in its payload. camelCase fields, each as strict as the producer
 * guarantees: a message breaking this schema is dead-lettered at the consumer's edge.
 */
export const ${name} = defineMessage('${type}', z.object({ id: z.uuid() }));
export type ${name} = PayloadOf<typeof ${name}>;
`,
  );
  workspace.edit(`${CONTRACTS}/index.ts`, (text) =>
    [...text.trim().split('\n'), `export * from './${file}';`].sort().join('\n').concat('\n'),
  );
  return { name, created: true };
}
