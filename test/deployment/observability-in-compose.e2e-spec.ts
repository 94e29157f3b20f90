import { APPS } from './app-configs';
import { compose, composeVariables, dependencies, publishedPorts } from './compose';
import { loadDashboard } from './grafana-files';
import { readText } from './repo-files';

/**
 * What jaeger, prometheus and grafana change for the rest of docker-compose.yml: the application
 * services do not wait for them, their host ports join the others on 127.0.0.1, and .env.example
 * and the README document them.
 */

const OBSERVABILITY = ['jaeger', 'prometheus', 'grafana'];

describe('docker-compose.yml, .env.example and README.md: the observability services', () => {
  it.each(APPS)('%s does not wait for jaeger, prometheus or grafana', (app) => {
    expect(dependencies(app).filter((name) => OBSERVABILITY.includes(name))).toEqual([]);
  });

  it('lists every variable compose reads in .env.example, and the README links each UI', () => {
    const example = readText('.env.example');
    const documented = (name: string) => new RegExp(`^#?\\s*${name}=`, 'm').test(example);
    expect(composeVariables().filter((name) => !documented(name))).toEqual([]);

    const readme = readText('README.md');
    for (const [name, port] of [
      ['jaeger', 16686],
      ['prometheus', 9090],
      ['grafana', 3030],
    ] as const) {
      expect(publishedPorts(name).map((published) => published.hostPort)).toContain(port);
      expect(readme).toContain(`http://localhost:${port}`);
    }
    expect(readme).toContain(loadDashboard().title);
  });

  it('publishes every host port on 127.0.0.1 only, and no two services the same one', () => {
    const published = Object.keys(compose.services).flatMap((name) =>
      publishedPorts(name).map((port) => ({ ...port, name })),
    );
    expect(published.filter((port) => port.hostIp !== '127.0.0.1')).toEqual([]);
    const ports = published.map((port) => port.hostPort);
    expect(new Set(ports).size).toBe(ports.length);
  });
});
