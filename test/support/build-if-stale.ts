import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
interface Project {
  name: string;
  source: string;
  output: string;
  /** Another folder whose sources go into the bundle. */
  reads?: string;
}

/**
 * Each built project and where its sources live: every service (a folder of apps/, as in the
 * service registry, libs/services), the tracing preload and the tools.
 */
function projects(): Project[] {
  const services = readdirSync(join(ROOT, 'apps'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map(({ name }) => ({
      name,
      source: `apps/${name}/src`,
      output: `dist/apps/${name}/main.js`,
    }));
  return [
    ...services,
    { name: 'telemetry', source: 'libs/telemetry/src', output: 'dist/libs/telemetry/preload.js' },
    { name: 'dlq', source: 'tools/dlq/src', output: 'dist/tools/dlq/main.js' },
    { name: 'replay', source: 'tools/replay/src', output: 'dist/tools/replay/main.js' },
    {
      name: 'broker-setup',
      source: 'tools/broker-setup/src',
      output: 'dist/tools/broker-setup/main.js',
    },
    // It bundles the apps' modules to read their handlers.
    {
      name: 'topology',
      source: 'tools/topology/src',
      output: 'dist/tools/topology/main.js',
      reads: 'apps',
    },
  ];
}

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
  // The tools read the service registry (libs/services), a shared library like the others.
  const sharedChange = Math.max(...libraries.map(newestChange));
  for (const project of projects()) {
    const bundle = join(ROOT, project.output);
    const sourceChange = Math.max(
      sharedChange,
      newestChange(join(ROOT, project.source)),
      project.reads ? newestChange(join(ROOT, project.reads)) : 0,
    );
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
