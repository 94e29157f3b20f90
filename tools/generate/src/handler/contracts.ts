import { assertEventType, contractName, eventFile } from '../names';
import type { Workspace } from '../workspace';

const CONTRACTS = 'libs/contracts/src';

/** Every message contract in libs/contracts, by type: its exported name. */
export function contractsByType(workspace: Workspace): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of workspace.find(CONTRACTS, '.ts')) {
    const text = workspace.read(file);
    for (const match of text.matchAll(/export const (\w+) = defineMessage\(\s*'([^']+)'/g)) {
      found.set(match[2], match[1]);
    }
  }
  return found;
}

/**
 * The contract of `type`: the existing one (order.paid is OrderPaid), or a new file in
 * libs/contracts/src/events with a placeholder schema to fill in, exported from the index.
 */
export function ensureContract(
  workspace: Workspace,
  type: string,
): { name: string; created: boolean } {
  assertEventType(type);
  const existing = contractsByType(workspace).get(type);
  if (existing) return { name: existing, created: false };
  const name = contractName(type);
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
