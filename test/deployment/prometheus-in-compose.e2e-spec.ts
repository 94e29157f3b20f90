import { APPS, CONFIG } from './app-configs';
import {
  compose,
  composeEnvironment,
  hostPathOf,
  mounts,
  publishedPorts,
  service,
} from './compose';
import {
  BROKER_JOB,
  BROKER_METRICS_PORT,
  PROMETHEUS_CONFIG,
  relabel,
  scrapeConfig,
  scrapeConfigs,
  targetsOf,
} from './prometheus-config';
import { repoPath } from './repo-files';

/**
 * The prometheus service in docker-compose.yml and deploy/prometheus/prometheus.yml, checked
 * without a Docker engine against what they point at: the mount of the configuration, and the
 * application services' names, ports and replicas.
 */

describe('docker-compose.yml and deploy/prometheus/prometheus.yml: prometheus', () => {
  it('is Prometheus 3, pinned, with deploy/prometheus/prometheus.yml mounted read-only as its configuration', () => {
    const prometheus = service('prometheus');
    expect(prometheus.image).toMatch(/^prom\/prometheus:v3\.\d+\.\d+$/);
    // The image's default command reads /etc/prometheus/prometheus.yml.
    const command = [prometheus.command ?? []].flat();
    const configFile =
      command.find((arg) => arg.startsWith('--config.file='))?.split('=')[1] ??
      '/etc/prometheus/prometheus.yml';
    expect(hostPathOf('prometheus', configFile)).toBe(repoPath(PROMETHEUS_CONFIG));
    expect(mounts('prometheus').find((mount) => mount.target === configFile)?.readOnly).toBe(true);
    expect(publishedPorts('prometheus')).toEqual([
      { hostIp: '127.0.0.1', hostPort: 9090, containerPort: 9090 },
    ]);
  });

  it.each(APPS)(
    'scrapes %s at GET /metrics on the PORT compose gives it, labelled with its service name',
    (app) => {
      const config = scrapeConfig(app);
      const { PORT } = CONFIG[app].validate(composeEnvironment(app));
      const targets = targetsOf(config);
      expect(targets.length).toBeGreaterThan(0);
      for (const target of targets) {
        // The compose service's name: Docker's DNS answers it with every container's address.
        expect(target.host).toBe(app);
        expect(target.port).toBe(PORT);
        expect(relabel(config, target).service).toBe(app);
      }
      expect(config.metrics_path ?? '/metrics').toBe('/metrics');
      expect(config.scheme ?? 'http').toBe('http');
    },
  );

  it('finds the payment replicas through DNS, so each one is scraped', () => {
    expect(service('payment').deploy?.replicas).toBeGreaterThan(1);
    const targets = targetsOf(scrapeConfig('payment'));
    expect(targets.map((target) => target.discovery)).toEqual(['dns']);
  });

  it('scrapes RabbitMQ’s per-queue counts from the compose broker, at its plugin’s port', () => {
    const config = scrapeConfig(BROKER_JOB);
    // The official image enables rabbitmq_prometheus; the detailed endpoint serves per-queue series.
    expect(service('rabbitmq').image).toMatch(/^rabbitmq:4\.\d+\.\d+-management$/);
    expect(targetsOf(config)).toEqual([
      { host: 'rabbitmq', port: BROKER_METRICS_PORT, discovery: 'static', labels: {} },
    ]);
    expect(config.metrics_path).toBe('/metrics/detailed');
    expect(config.params?.family).toEqual(['queue_coarse_metrics', 'queue_consumer_count']);
  });

  it('has a job for each application service and the broker, and for nothing that is not a compose service', () => {
    expect(scrapeConfigs.map((config) => config.job_name).sort()).toEqual(
      [...APPS, BROKER_JOB].sort(),
    );
    for (const config of scrapeConfigs) {
      for (const target of targetsOf(config)) expect(compose.services).toHaveProperty(target.host);
    }
  });
});
