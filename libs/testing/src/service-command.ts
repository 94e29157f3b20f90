import type { ServiceName } from '@app/services';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository's root: the nearest folder up from here holding nest-cli.json (also from a bundle). */
export function repositoryRoot(from = __dirname): string {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'nest-cli.json'))) return folder;
    if (dirname(folder) === folder) throw new Error(`No nest-cli.json above ${from}`);
  }
}

/**
 * The node arguments of `npm run start:<name>`, read from package.json, so tests and the
 * benchmark start a service exactly as its users (and the Dockerfile) do: flags, tracing
 * preload and bundle included. Relative paths are resolved against the repository.
 */
export function serviceStartArguments(name: ServiceName, root = repositoryRoot()): string[] {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const [binary, ...args] = (scripts[`start:${name}`] ?? '').split(/\s+/);
  if (binary !== 'node') throw new Error(`start:${name} should run node, not "${binary}"`);
  return args.map((arg) => (/^(\.\/)?dist\//.test(arg) ? join(root, arg) : arg));
}
