import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  brokerSetupConfigSchema,
  passwordOf,
  validateBrokerSetupConfig,
} from '../../tools/broker-setup/src/broker-setup.config';
import { serviceUserName } from '../../tools/broker-setup/src/service-accounts';
import { APPS, CONFIG } from './app-configs';
import { composeEnvironment, ROOT, service } from './compose';
import { exitCode, packageJson } from './repo-files';

/**
 * The broker-setup service in docker-compose.yml: its environment against the tool's config
 * schema, its place in the start-up order, the users it gives the services, and the built tool
 * run with compose's environment.
 */

describe('docker-compose.yml: the broker-setup service', () => {
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

  it("runs as built with compose's environment: print lists a user per service, no password", async () => {
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
