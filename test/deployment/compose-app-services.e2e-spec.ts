import { misspelledSettings } from '@app/platform';
import { startsAfter } from '@app/services';
import { APPS, CONFIG } from './app-configs';
import { compose, composeEnvironment, service } from './compose';
import { readText } from './repo-files';

/**
 * The registered services in docker-compose.yml, read without a Docker
 * engine: each one's environment against its config schema, its build, start-up order, restarts,
 * stop grace period and replicas, and the images of the broker and the database they wait for.
 */

/** Duration strings as compose writes them (1m30s, 20s, 500ms) in milliseconds. */
function durationMs(value: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== value) {
    throw new Error(`Unreadable duration "${value}"`);
  }
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * units[unit], 0);
}

describe('docker-compose.yml: the application services', () => {
  describe.each(APPS)('the %s service', (app) => {
    it('passes only variables its config schema knows, and they validate', () => {
      const env = composeEnvironment(app);
      const unknown = Object.keys(env).filter((key) => !CONFIG[app].keys.includes(key));
      expect(unknown).toEqual([]);

      const config = CONFIG[app].validate(env);
      // The URLs point at the compose services, by name.
      expect(new URL(config.RABBITMQ_URL).hostname).toBe('rabbitmq');
      expect(new URL(config.DATABASE_URL).hostname).toBe('postgres');
      // JSON lines, for whatever collects the containers' logs.
      expect(config.LOG_FORMAT).toBe('json');
      expect(compose.services).toHaveProperty('rabbitmq');
      expect(compose.services).toHaveProperty('postgres');
    });

    it('takes no variable of compose or of .env.example for a misspelled setting of its own', () => {
      // Run on the host from one shared .env, a service sees every other service's variables.
      const example = [...readText('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)];
      const env = {
        ...Object.fromEntries(example.map(([, name]) => [name, 'x'])),
        ...Object.fromEntries(APPS.flatMap((other) => Object.entries(composeEnvironment(other)))),
      };
      expect(Object.keys(env).length).toBeGreaterThan(30);
      expect(misspelledSettings(env, CONFIG[app].keys)).toEqual([]);
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
  });

  it.each(APPS)('starts %s only after the services it starts after are healthy', (app) => {
    const after = startsAfter(app);
    const healthy = Object.fromEntries(
      after.map((other) => [other, { condition: 'service_healthy' }]),
    );
    expect(service(app).depends_on).toMatchObject(healthy);
    for (const dependency of ['rabbitmq', 'postgres', ...after]) {
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
});
