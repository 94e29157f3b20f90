import {
  isolate,
  type Isolation,
  freePort,
  ServiceProcess,
  type ServiceName,
  waitFor,
} from '@app/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
// The deployment files must agree with the services' own config schemas: read them from the apps.
import {
  notificationConfigSchema,
  validateNotificationConfig,
} from '../../apps/notification/src/notification.config';
import { orderConfigSchema, validateOrderConfig } from '../../apps/order/src/order.config';
import { paymentConfigSchema, validatePaymentConfig } from '../../apps/payment/src/payment.config';
import {
  brokerSetupConfigSchema,
  passwordOf,
  validateBrokerSetupConfig,
} from '../../tools/broker-setup/src/broker-setup.config';
import { serviceUserName } from '../../tools/broker-setup/src/service-accounts';
import { compose, composeEnvironment, interpolate, ROOT, service } from './compose';

/**
 * docker-compose.yml and the Dockerfile cannot be run where the tests run (no Docker engine), so
 * they are checked against what they describe: every service's environment against its config
 * schema, every healthcheck against the real built service, start-up order, replicas, and the
 * image's build and start commands against package.json's scripts.
 */

const APPS: readonly ServiceName[] = ['order', 'payment', 'notification'];

interface AppConfig {
  PORT: number;
  SHUTDOWN_TIMEOUT_MS: number;
  RABBITMQ_URL: string;
  DATABASE_URL: string;
}

const CONFIG: Record<
  ServiceName,
  { keys: string[]; validate: (env: Record<string, unknown>) => AppConfig }
> = {
  order: { keys: Object.keys(orderConfigSchema.shape), validate: validateOrderConfig },
  payment: { keys: Object.keys(paymentConfigSchema.shape), validate: validatePaymentConfig },
  notification: {
    keys: Object.keys(notificationConfigSchema.shape),
    validate: validateNotificationConfig,
  },
};

const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

/** The healthcheck command, its URL, and where that URL points. */
function healthcheck(name: ServiceName): { command: string[]; url: URL } {
  const test = service(name).healthcheck?.test;
  if (!Array.isArray(test) || test[0] !== 'CMD') {
    throw new Error(`${name}: the healthcheck must be an exec-form ["CMD", …] list`);
  }
  const command = test.slice(1).map((part) => interpolate(part));
  const url = command.join(' ').match(/https?:\/\/[^'"`\s)]+/);
  if (!url) throw new Error(`${name}: no URL in the healthcheck ${JSON.stringify(test)}`);
  return { command, url: new URL(url[0]) };
}

/** Runs a healthcheck command here, aimed at `port`, and resolves with its exit code. */
function runHealthcheck(command: string[], composePort: string, port: number): Promise<number> {
  const [program, ...args] = command.map((part) =>
    part.replace(`127.0.0.1:${composePort}/`, `127.0.0.1:${port}/`),
  );
  const child = spawn(program === 'node' ? process.execPath : program, args, { stdio: 'ignore' });
  return exitCode(child);
}

function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : -1)));
  });
}

/** Duration strings as compose writes them (1m30s, 20s, 500ms) in milliseconds. */
function durationMs(value: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== value) {
    throw new Error(`Unreadable duration "${value}"`);
  }
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * units[unit], 0);
}

interface DockerInstruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions by stage, with continuation lines joined and comments dropped. */
function dockerfileStages(): { name: string; base: string; instructions: DockerInstruction[] }[] {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const lines = text.split('\n').filter((line) => !line.trimStart().startsWith('#'));
  const logical = lines.join('\n').replace(/\\\n/g, ' ').split('\n');
  const stages: { name: string; base: string; instructions: DockerInstruction[] }[] = [];
  for (const line of logical.map((raw) => raw.trim()).filter(Boolean)) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, ' ') };
    if (instruction.keyword === 'FROM') {
      const [base, as, name] = instruction.args.split(' ');
      stages.push({
        base,
        name: as?.toUpperCase() === 'AS' ? name : String(stages.length),
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The shell command of a RUN instruction split on `&&`, one command per entry. */
function runCommands(instructions: DockerInstruction[]): string[] {
  return instructions
    .filter((instruction) => instruction.keyword === 'RUN')
    .flatMap((instruction) => instruction.args.split('&&').map((command) => command.trim()));
}

describe('docker-compose.yml and the Dockerfile', () => {
  let isolation: Isolation | undefined;
  const processes: ServiceProcess[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    isolation = await isolate('compose');
  });

  afterAll(async () => {
    await Promise.all(processes.map((running) => running.stop()));
    // The CMD runs in a process group of its own: end whatever a failed test left in it.
    for (const child of children) {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is gone already: the normal case.
      }
    }
    await isolation?.dispose();
  });

  describe.each(APPS)('the %s service', (app) => {
    it('passes only variables its config schema knows, and they validate', () => {
      const env = composeEnvironment(app);
      const unknown = Object.keys(env).filter((key) => !CONFIG[app].keys.includes(key));
      expect(unknown).toEqual([]);

      const config = CONFIG[app].validate(env);
      // The URLs point at the compose services, by name.
      expect(new URL(config.RABBITMQ_URL).hostname).toBe('rabbitmq');
      expect(new URL(config.DATABASE_URL).hostname).toBe('postgres');
      expect(compose.services).toHaveProperty('rabbitmq');
      expect(compose.services).toHaveProperty('postgres');
    });

    it("is built from the Dockerfile with APP set to the service's name", () => {
      const { build, image } = service(app);
      expect(image).toBeUndefined();
      expect(build?.context).toBe('.');
      expect(build?.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      expect(build?.args?.APP).toBe(app);
    });

    it('waits for a healthy broker and database, restarts, and outlasts a graceful shutdown', () => {
      const { depends_on: dependsOn, restart, stop_grace_period: grace } = service(app);
      expect(dependsOn).toMatchObject({
        rabbitmq: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
      });
      expect(restart).toBe('unless-stopped');
      // The service exits by itself within SHUTDOWN_TIMEOUT_MS + 5 s of SIGTERM; SIGKILL must not
      // come before.
      const { SHUTDOWN_TIMEOUT_MS } = CONFIG[app].validate(composeEnvironment(app));
      expect(durationMs(grace ?? '10s')).toBeGreaterThan(SHUTDOWN_TIMEOUT_MS + 5000);
    });

    it('has a healthcheck on its own PORT whose path answers 200 from the built service', async () => {
      const env = composeEnvironment(app);
      const { PORT } = CONFIG[app].validate(env);
      const { command, url } = healthcheck(app);
      expect(url.hostname).toBe('127.0.0.1');
      expect(url.port).toBe(String(PORT));
      for (const mapping of service(app).ports ?? []) {
        expect(interpolate(String(mapping))).toMatch(new RegExp(`:${PORT}(/tcp)?$`));
      }

      if (!isolation) throw new Error('The isolated broker and database are missing');
      const running = await ServiceProcess.start(app, {
        ...env,
        RABBITMQ_URL: isolation.env.RABBITMQ_URL,
        DATABASE_URL: isolation.env.DATABASE_URL,
      });
      processes.push(running);
      let exited = false;
      void running.exited().then(() => (exited = true));
      const probe = `${running.url}${url.pathname}${url.search}`;
      const response = await waitFor(
        async () => {
          if (exited) throw new Error(`${app} exited: ${running.logs.slice(-5).join('\n')}`);
          const answer = await fetch(probe).catch(() => undefined);
          return answer?.status === 200 ? answer : undefined;
        },
        { description: `${probe} to answer 200`, timeoutMs: 30_000 },
      );
      expect(response.status).toBe(200);

      // The healthcheck command itself: healthy against the service, unhealthy where none listens.
      expect(await runHealthcheck(command, url.port, running.port)).toBe(0);
      expect(await runHealthcheck(command, url.port, await freePort())).not.toBe(0);
    });
  });

  describe('the broker-setup service', () => {
    const setup = () => validateBrokerSetupConfig(composeEnvironment('broker-setup'));

    it("passes only variables the tool's config schema knows, and they validate", () => {
      const env = composeEnvironment('broker-setup');
      const known = Object.keys(brokerSetupConfigSchema.shape);
      expect(Object.keys(env).filter((key) => !known.includes(key))).toEqual([]);
      // The management API of the compose broker, as the administrator the broker was given.
      const management = new URL(setup().RABBITMQ_MANAGEMENT_URL);
      expect([management.hostname, management.port]).toEqual(['rabbitmq', '15672']);
      const broker = composeEnvironment('rabbitmq');
      expect([management.username, management.password]).toEqual([
        broker.RABBITMQ_DEFAULT_USER,
        broker.RABBITMQ_DEFAULT_PASS,
      ]);
    });

    it("runs the tool's apply once, from the Dockerfile's image, after the broker is healthy", () => {
      const { build, image, command, restart, depends_on: dependsOn } = service('broker-setup');
      expect(image).toBeUndefined();
      expect(build?.context).toBe('.');
      expect(build?.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      expect(command).toEqual([...packageJson.scripts['broker:setup'].split(' '), 'apply']);
      // A one-shot: restarting it would keep the services waiting for its completion.
      expect(restart ?? 'no').toBe('no');
      expect(dependsOn).toEqual({ rabbitmq: { condition: 'service_healthy' } });
    });

    it.each(APPS)(
      'has finished before %s starts, which connects as the user it creates, with its password',
      (app) => {
        expect(service(app).depends_on).toMatchObject({
          'broker-setup': { condition: 'service_completed_successfully' },
        });
        const url = new URL(CONFIG[app].validate(composeEnvironment(app)).RABBITMQ_URL);
        const config = setup();
        expect(decodeURIComponent(url.username)).toBe(
          serviceUserName(config.RABBITMQ_USER_PREFIX, app),
        );
        expect(decodeURIComponent(url.password)).toBe(passwordOf(config, app));
        // The defaults say what they are, and no two services share one.
        expect(passwordOf(config, app)).toMatch(/dev-only/);
        const others = APPS.filter((other) => other !== app);
        expect(others.map((other) => passwordOf(config, other))).not.toContain(
          passwordOf(config, app),
        );
      },
    );

    it("runs as built with compose's environment: print lists the three users, no password", async () => {
      const env = composeEnvironment('broker-setup');
      const child = spawn(
        process.execPath,
        [join(ROOT, 'dist/tools/broker-setup/main.js'), 'print'],
        {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      expect(await exitCode(child)).toBe(0);
      const definitions = JSON.parse(output) as { users: { name: string }[] };
      expect(definitions.users.map((user) => user.name)).toEqual([...APPS]);
      const config = setup();
      for (const app of APPS) expect(output).not.toContain(passwordOf(config, app));
    });
  });

  it('starts order only after payment and notification are healthy (their queues exist)', () => {
    expect(service('order').depends_on).toMatchObject({
      payment: { condition: 'service_healthy' },
      notification: { condition: 'service_healthy' },
    });
    for (const dependency of ['rabbitmq', 'postgres', 'payment', 'notification']) {
      expect(service(dependency).healthcheck?.test).toBeDefined();
    }
  });

  it('runs payment as 2 replicas, which therefore publish no host port', () => {
    const payment = service('payment');
    expect(payment.deploy?.replicas).toBe(2);
    expect(payment.ports ?? []).toEqual([]);
    expect(payment.container_name).toBeUndefined();
  });

  it('pins RabbitMQ 4 with the management plugin, and PostgreSQL', () => {
    expect(service('rabbitmq').image).toMatch(/^rabbitmq:4\.\d+\.\d+-management$/);
    expect(service('postgres').image).toMatch(/^postgres:1[67]\.\d+-alpine$/);
  });

  describe('the Dockerfile', () => {
    const stages = dockerfileStages();
    const runtime = stages.at(-1);

    it('builds with npm ci and the build script, from a pinned Node 20 image', () => {
      const build = stages.find((stage) =>
        runCommands(stage.instructions).includes('npm run build'),
      );
      expect(build).toBeDefined();
      expect(packageJson.scripts.build).toBeDefined();
      const commands = runCommands(build?.instructions ?? []);
      const install = commands.findIndex((command) => /^npm ci(\s|$)/.test(command));
      expect(install).toBeGreaterThanOrEqual(0);
      expect(commands[install]).not.toMatch(/--omit|--production/);
      expect(install).toBeLessThan(commands.indexOf('npm run build'));

      for (const stage of stages) {
        const base = stages.find((other) => other.name === stage.base)?.base ?? stage.base;
        expect(base).toMatch(/^node:20\.\d+\.\d+-[a-z]+(-slim)?$/);
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

      expect(find('USER').at(-1)?.args).toBe('node');
      expect(
        find('ENV')
          .map((env) => env.args)
          .join(' '),
      ).toMatch(/\bNODE_ENV=production\b/);
      expect(find('ARG').map((arg) => arg.args)).toContain('APP=order');

      const cmd = JSON.parse(find('CMD').at(-1)?.args ?? 'null') as unknown;
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

    it("runs, as the image's CMD, the default service and hands it SIGTERM: exit code 0", async () => {
      if (!isolation) throw new Error('The isolated broker and database are missing');
      const instructions = runtime?.instructions ?? [];
      const last = (keyword: string) =>
        instructions.filter((instruction) => instruction.keyword === keyword).at(-1)?.args;
      const [shell, flag, script] = JSON.parse(last('CMD') ?? '[]') as string[];
      const defaultApp = /^APP=(\S+)$/.exec(last('ARG') ?? '')?.[1];
      expect(defaultApp).toBe('order');
      const port = await freePort();
      const child = spawn(shell, [flag, script], {
        cwd: ROOT,
        env: {
          PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
          APP: defaultApp ?? '',
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          PORT: String(port),
          RABBITMQ_URL: isolation.env.RABBITMQ_URL,
          DATABASE_URL: isolation.env.DATABASE_URL,
        },
        stdio: 'ignore',
        // Its own process group, so afterAll can end a node the shell failed to hand over to.
        detached: true,
      });
      children.push(child);
      const exited = exitCode(child);
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
          const answer = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(
            () => undefined,
          );
          return answer?.status === 200;
        },
        { description: 'the CMD-started order service to be ready', timeoutMs: 30_000 },
      );

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    });
  });
});
