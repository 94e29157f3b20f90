import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SERVICES = ['order', 'payment', 'notification'];

/** Newest modification time of what goes into a bundle: sources and migrations, not tests. */
function newestChange(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestChange(path));
    else if (!entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The end-to-end suite runs the built services, as users do. Rebuild those whose sources
 * changed since their bundle was built, so a stale dist/ never passes for current code.
 */
export default function buildIfStale(): void {
  const libraries = readdirSync(join(ROOT, 'libs'))
    .filter((lib) => lib !== 'testing')
    .map((lib) => join(ROOT, 'libs', lib, 'src'));
  const sharedChange = Math.max(...libraries.map(newestChange));
  for (const service of SERVICES) {
    const bundle = join(ROOT, 'dist', 'apps', service, 'main.js');
    const sourceChange = Math.max(sharedChange, newestChange(join(ROOT, 'apps', service, 'src')));
    if (existsSync(bundle) && statSync(bundle).mtimeMs >= sourceChange) continue;
    process.stdout.write(
      `\nBuilding ${service}: its bundle is missing or older than its sources\n`,
    );
    const build = spawnSync('npx', ['nest', 'build', service], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error(`nest build ${service} failed`);
  }
}
