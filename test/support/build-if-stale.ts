import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** Each built project and where its sources live. */
const PROJECTS = [
  { name: 'order', source: 'apps/order/src' },
  { name: 'payment', source: 'apps/payment/src' },
  { name: 'notification', source: 'apps/notification/src' },
  { name: 'telemetry', source: 'libs/telemetry/src', output: 'dist/libs/telemetry/preload.js' },
  { name: 'dlq', source: 'tools/dlq/src', output: 'dist/tools/dlq/main.js', readsApps: true },
  {
    name: 'broker-setup',
    source: 'tools/broker-setup/src',
    output: 'dist/tools/broker-setup/main.js',
    readsApps: true,
  },
];

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
 * The end-to-end suite runs the built services and tools, as users do. Rebuild those whose sources
 * changed since their bundle was built, so a stale dist/ never passes for current code.
 */
export default function buildIfStale(): void {
  const libraries = readdirSync(join(ROOT, 'libs'))
    .filter((lib) => lib !== 'testing')
    .map((lib) => join(ROOT, 'libs', lib, 'src'));
  const sharedChange = Math.max(...libraries.map(newestChange));
  // The tools read the services' topologies, so a service change rebuilds them too.
  const appsChange = Math.max(
    ...PROJECTS.filter((project) => !project.output).map((project) =>
      newestChange(join(ROOT, project.source)),
    ),
  );
  for (const project of PROJECTS) {
    const bundle = join(ROOT, project.output ?? `dist/apps/${project.name}/main.js`);
    const ownChange = newestChange(join(ROOT, project.source));
    const sourceChange = Math.max(sharedChange, ownChange, project.readsApps ? appsChange : 0);
    if (existsSync(bundle) && statSync(bundle).mtimeMs >= sourceChange) continue;
    process.stdout.write(
      `\nBuilding ${project.name}: its bundle is missing or older than its sources\n`,
    );
    const build = spawnSync('npx', ['nest', 'build', project.name], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error(`nest build ${project.name} failed`);
  }
}
