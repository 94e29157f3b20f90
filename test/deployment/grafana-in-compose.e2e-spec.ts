import { existsSync, readdirSync, statSync } from 'node:fs';
import {
  composeEnvironment,
  dependencies,
  hostPathOf,
  mounts,
  publishedPorts,
  service,
} from './compose';
import {
  DASHBOARD_FILE,
  DATASOURCES_FILE,
  prometheusDatasource,
  PROVIDERS_FILE,
  providers,
} from './grafana-files';
import { repoPath } from './repo-files';

/**
 * The grafana service in docker-compose.yml and its provisioning under deploy/grafana, checked
 * without a Docker engine against what they point at: the mounts, the prometheus service, and the
 * dashboard files.
 */

describe('docker-compose.yml and deploy/grafana/provisioning: grafana', () => {
  it('is Grafana 11 or 12, pinned, on 127.0.0.1:3030, after prometheus', () => {
    const grafana = service('grafana');
    expect(grafana.image).toMatch(/^grafana\/grafana:1[12]\.\d+\.\d+$/);
    expect(publishedPorts('grafana')).toEqual([
      { hostIp: '127.0.0.1', hostPort: 3030, containerPort: 3000 },
    ]);
    expect(dependencies('grafana')).toContain('prometheus');
  });

  it('lets anonymous visitors view, not edit, and takes the admin password from the environment', () => {
    const env = composeEnvironment('grafana');
    expect(env.GF_AUTH_ANONYMOUS_ENABLED).toBe('true');
    expect(env.GF_AUTH_ANONYMOUS_ORG_ROLE).toBe('Viewer');
    expect(env.GF_SECURITY_ADMIN_PASSWORD).toMatch(/dev-only/);
    expect(
      composeEnvironment('grafana', { GRAFANA_ADMIN_PASSWORD: 'from-the-env' })
        .GF_SECURITY_ADMIN_PASSWORD,
    ).toBe('from-the-env');
  });

  it('mounts deploy/grafana/provisioning where Grafana reads provisioning, read-only', () => {
    // GF_PATHS_PROVISIONING in the image.
    const provisioning = mounts('grafana').find(
      (mount) => mount.target === '/etc/grafana/provisioning',
    );
    expect(provisioning).toMatchObject({
      source: repoPath('deploy/grafana/provisioning'),
      readOnly: true,
    });
    for (const file of [DATASOURCES_FILE, PROVIDERS_FILE]) {
      expect(existsSync(repoPath(file))).toBe(true);
    }
  });

  it('provisions the prometheus service as a datasource with a fixed uid', () => {
    const datasource = prometheusDatasource();
    expect(datasource.uid).toMatch(/^[\w-]{1,40}$/);
    expect(datasource.access ?? 'proxy').toBe('proxy');
    const url = new URL(datasource.url ?? '');
    expect(url.hostname).toBe('prometheus');
    expect(publishedPorts('prometheus').map((port) => port.containerPort)).toContain(
      Number(url.port),
    );
  });

  it('loads dashboards from the directory compose mounts deploy/grafana/dashboards at', () => {
    const fileProviders = (providers ?? []).filter((provider) => provider.type === 'file');
    expect(fileProviders.length).toBeGreaterThan(0);
    for (const provider of fileProviders) {
      const hostDirectory = hostPathOf('grafana', provider.options?.path ?? '');
      expect(hostDirectory).toBe(repoPath('deploy/grafana/dashboards'));
      expect(mounts('grafana').find((mount) => mount.source === hostDirectory)?.readOnly).toBe(
        true,
      );
      expect(readdirSync(hostDirectory as string)).toContain('messaging.json');
    }
    // Grafana opens on one of them.
    const home = composeEnvironment('grafana').GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    const hostFile = hostPathOf('grafana', home) ?? '';
    expect(hostFile).toBe(repoPath(DASHBOARD_FILE));
    expect(statSync(hostFile).isFile()).toBe(true);
  });
});
