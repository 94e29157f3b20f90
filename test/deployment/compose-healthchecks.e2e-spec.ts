import { freePort, isolate, type Isolation, ServiceProcess } from '@app/testing';
import { APPS, CONFIG } from './app-configs';
import { composeEnvironment, interpolate, service } from './compose';
import { answered, healthcheck, runHealthcheck } from './compose-healthcheck';

/**
 * The healthchecks of the application services in docker-compose.yml. No Docker engine runs here,
 * so each one is checked against the real built service: its URL on the service's own PORT, and
 * its command run against the service and against a port where nothing listens.
 */

describe('docker-compose.yml: the healthchecks of the application services', () => {
  let isolation: Isolation | undefined;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    isolation = await isolate('compose-healthchecks');
  });

  afterAll(async () => {
    await Promise.all(processes.map((running) => running.stop()));
    await isolation?.dispose();
  });

  describe.each(APPS)('the %s service', (app) => {
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
      const response = await answered(running, `${url.pathname}${url.search}`);
      expect(response.status).toBe(200);

      // The healthcheck command itself: healthy against the service, unhealthy where none listens.
      expect(await runHealthcheck(command, url.port, running.port)).toBe(0);
      expect(await runHealthcheck(command, url.port, await freePort())).not.toBe(0);
    });
  });
});
