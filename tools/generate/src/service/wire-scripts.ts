import { replaceFirst } from '../source-edits';
import type { Workspace } from '../workspace';
import type { ServiceNames } from './service-names';

const COLOURS = ['cyan', 'yellow', 'red', 'gray', 'white', 'blueBright', 'greenBright'];

interface PackageJson {
  scripts: Record<string, string>;
}

interface NestCli {
  projects: Record<string, { type: string; root: string }>;
}

/** Inserts `entry` after the last key of `record` matching `after`, keeping the others' order. */
function insertAfter<T>(
  record: Record<string, T>,
  after: (key: string, value: T) => boolean,
  entry: [string, T],
): Record<string, T> {
  const entries = Object.entries(record);
  const last = entries.map(([key, value]) => after(key, value)).lastIndexOf(true);
  entries.splice(last + 1, 0, entry);
  return Object.fromEntries(entries);
}

/**
 * The service's Nest project, `start:<name>`, its place in `build` (before the tools, which read
 * the registry) and in `start:dev`, and its port in the Dockerfile's EXPOSE.
 */
export function wireScripts(workspace: Workspace, n: ServiceNames): void {
  workspace.edit('nest-cli.json', (text) => {
    const cli = JSON.parse(text) as NestCli;
    const project = {
      type: 'application',
      root: `apps/${n.name}`,
      entryFile: 'main',
      sourceRoot: `apps/${n.name}/src`,
      compilerOptions: {
        tsConfigPath: `apps/${n.name}/tsconfig.app.json`,
        assets: [
          { include: 'db/migrations/**/*', outDir: `dist/apps/${n.name}`, watchAssets: true },
        ],
      },
    };
    cli.projects = insertAfter(cli.projects, (_, p) => p.root.startsWith('apps/'), [
      n.name,
      project,
    ]);
    return `${JSON.stringify(cli, null, 2)}\n`;
  });
  workspace.edit('package.json', (text) => {
    const pkg = JSON.parse(text) as PackageJson;
    const scripts = pkg.scripts;
    const start =
      scripts['start:notification'] ?? Object.values(scripts).find((s) => s.includes('dist/apps/'));
    if (!start) throw new Error('package.json: no start:<service> script to copy');
    const command = start.replace(
      /dist\/apps\/[a-z0-9-]+\/main\.js/,
      `dist/apps/${n.name}/main.js`,
    );
    pkg.scripts = insertAfter(scripts, (key) => /^start:(?!dev)/.test(key), [
      `start:${n.name}`,
      command,
    ]);
    pkg.scripts.build = replaceFirst(
      scripts.build,
      /nest build dlq/,
      `nest build ${n.name} && nest build dlq`,
      "the build script's `nest build dlq`",
      'package.json',
    );
    pkg.scripts['start:dev'] = startDev(scripts['start:dev'], n.name);
    return `${JSON.stringify(pkg, null, 2)}\n`;
  });
  workspace.edit('Dockerfile', (text) =>
    replaceFirst(text, /^(EXPOSE .*)$/m, `$1 ${n.port}`, 'an EXPOSE line', 'Dockerfile'),
  );
}

/** `start:dev` runs one watched process per service through concurrently: one more, its colour. */
function startDev(script: string, name: string): string {
  const watched = [...script.matchAll(/"nest start ([a-z0-9-]+) --watch[^"]*"/g)];
  const last = watched.at(-1);
  if (!last) throw new Error('package.json: start:dev runs no `nest start <service> --watch`');
  const names = /--names ([\w,-]+)/.exec(script);
  const colours = /--prefix-colors ([\w,]+)/.exec(script);
  if (!names || !colours) throw new Error('package.json: start:dev has no --names/--prefix-colors');
  const used = colours[1].split(',');
  const colour = COLOURS.find((c) => !used.includes(c)) ?? 'white';
  const added = last[0].replace(`nest start ${last[1]} `, `nest start ${name} `);
  return script
    .replace(names[0], `${names[0]},${name}`)
    .replace(colours[0], `${colours[0]},${colour}`)
    .replace(last[0], `${last[0]} ${added}`);
}
