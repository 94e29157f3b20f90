import { freePort, isolate, type Isolation, waitFor } from '@app/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { APPS } from './app-configs';
import { ROOT } from './compose';
import { dockerfileStages, lastArgs, runCommands } from './dockerfile';
import { exitCode, packageJson, readText, repoPath } from './repo-files';

/**
 * The Dockerfile, which cannot be built where the tests run (no Docker engine): its build and
 * start commands against package.json's scripts, and its CMD run here against the built services.
 */

/** Ends whatever is left in the process groups of the children. */
function killGroups(children: ChildProcess[]): void {
  for (const child of children) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is gone already: the normal case.
    }
  }
}

describe('the Dockerfile', () => {
  let isolation: Isolation | undefined;
  const children: ChildProcess[] = [];
  const stages = dockerfileStages();
  const runtime = stages.at(-1);

  beforeAll(async () => {
    isolation = await isolate('dockerfile');
  });

  afterAll(async () => {
    // The CMD runs in a process group of its own: end whatever a failed test left in it.
    killGroups(children);
    await isolation?.dispose();
  });

  it('builds with npm ci and the build script, from the Node 26 release .nvmrc pins', () => {
    const build = stages.find((stage) => runCommands(stage.instructions).includes('npm run build'));
    expect(build).toBeDefined();
    expect(packageJson.scripts.build).toBeDefined();
    const commands = runCommands(build?.instructions ?? []);
    const install = commands.findIndex((command) => /^npm ci(\s|$)/.test(command));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(commands[install]).not.toMatch(/--omit|--production/);
    expect(install).toBeLessThan(commands.indexOf('npm run build'));

    const pinned = readText('.nvmrc').trim();
    expect(pinned).toMatch(/^26\.\d+\.\d+$/);
    for (const stage of stages) {
      const base = stages.find((other) => other.name === stage.base)?.base ?? stage.base;
      expect(base).toMatch(new RegExp(`^node:${pinned.replace(/\./g, '\\.')}-[a-z]+(-slim)?$`));
    }
  });

  it('runs the bundle as package.json starts it: production dependencies, non-root, NODE_ENV=production', () => {
    expect(runtime).toBeDefined();
    const instructions = runtime?.instructions ?? [];
    const find = (keyword: string) =>
      instructions.filter((instruction) => instruction.keyword === keyword);

    // node_modules comes from a stage that installed production dependencies only.
    const prodDeps = stages.find((stage) =>
      runCommands(stage.instructions).some((command) => /^npm ci\b.*--omit=dev/.test(command)),
    );
    expect(prodDeps).toBeDefined();
    expect(find('COPY').map((copy) => copy.args)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`--from=${prodDeps?.name} \\S*node_modules`)),
      ]),
    );

    expect(lastArgs(instructions, 'USER')).toBe('node');
    expect(
      find('ENV')
        .map((env) => env.args)
        .join(' '),
    ).toMatch(/\bNODE_ENV=production\b/);
    expect(find('ARG').map((arg) => arg.args)).toContain('APP=order');

    const cmd = JSON.parse(lastArgs(instructions, 'CMD') ?? 'null') as unknown;
    expect(Array.isArray(cmd)).toBe(true);
    const [shell, flag, script] = cmd as string[];
    expect([shell, flag]).toEqual(['sh', '-c']);
    // exec hands PID 1 to node, so SIGTERM reaches it.
    expect(script).toMatch(/^exec node /);
    for (const app of APPS) {
      const started = script.replace(/^exec /, '').replace(/\$\{?APP\}?/g, app);
      expect(started).toBe(packageJson.scripts[`start:${app}`]);
    }
  });

  it('applies patches/ as npm ci does here: before the install, and in the production node_modules', () => {
    expect(packageJson.scripts.postinstall).toBe('patch-package');
    // patch-package names a patch `<name, / as +>+<version>.patch`.
    const patched = readdirSync(repoPath('patches')).map((file) =>
      file
        .replace(/\.patch$/, '')
        .split('+')
        .slice(0, -1)
        .join('/'),
    );
    expect(patched).toContain('amqplib');

    const build = stages.find((stage) => runCommands(stage.instructions).includes('npm run build'));
    const instructions = build?.instructions ?? [];
    const copiedPatches = instructions.findIndex(
      (instruction) => instruction.keyword === 'COPY' && /^patches\s/.test(instruction.args),
    );
    const install = instructions.findIndex(
      (instruction) => instruction.keyword === 'RUN' && /^npm ci\b/.test(instruction.args),
    );
    expect(copiedPatches).toBeGreaterThanOrEqual(0);
    expect(copiedPatches).toBeLessThan(install);

    // The production install runs no scripts (patch-package is a dev dependency): it takes each
    // patched package as the build stage patched it.
    const prodDeps = stages.find((stage) =>
      runCommands(stage.instructions).some((command) => /^npm ci\b.*--omit=dev/.test(command)),
    );
    const copies = (prodDeps?.instructions ?? [])
      .filter((instruction) => instruction.keyword === 'COPY')
      .map((instruction) => instruction.args);
    for (const name of patched) {
      expect(copies).toContain(
        `--from=${build?.name} /app/node_modules/${name} ./node_modules/${name}`,
      );
    }
  });

  /** Starts the image's CMD here as docker run would, with the default APP, on `port`. */
  function startCmd(app: string, port: number, running: Isolation): ChildProcess {
    const [shell, flag, script] = JSON.parse(
      lastArgs(runtime?.instructions ?? [], 'CMD') ?? '[]',
    ) as string[];
    const child = spawn(shell, [flag, script], {
      cwd: ROOT,
      env: {
        PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
        APP: app,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        RABBITMQ_URL: running.env.RABBITMQ_URL,
        DATABASE_URL: running.env.DATABASE_URL,
      },
      stdio: 'ignore',
      // Its own process group, so afterAll can end a node the shell failed to hand over to.
      detached: true,
    });
    children.push(child);
    return child;
  }

  it("runs, as the image's CMD, the default service and hands it SIGTERM: exit code 0", async () => {
    if (!isolation) throw new Error('The isolated broker and database are missing');
    const defaultApp = /^APP=(\S+)$/.exec(lastArgs(runtime?.instructions ?? [], 'ARG') ?? '')?.[1];
    expect(defaultApp).toBe('order');
    const port = await freePort();
    const child = startCmd(defaultApp ?? '', port, isolation);
    const exited = exitCode(child);
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
        const answer = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
        return answer?.status === 200;
      },
      { description: 'the CMD-started order service to be ready', timeoutMs: 30_000 },
    );

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
