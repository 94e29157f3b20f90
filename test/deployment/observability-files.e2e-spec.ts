import { EVENTS_EXCHANGE } from '@app/contracts';
import { MetricNames } from '@app/telemetry';
import { AmqpTestClient, type ServiceName, waitFor } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { validateNotificationConfig } from '../../apps/notification/src/notification.config';
import { validateOrderConfig } from '../../apps/order/src/order.config';
import { validatePaymentConfig } from '../../apps/payment/src/payment.config';
import { readTelemetrySettings } from '../../libs/telemetry/src/tracing/telemetry-settings';
import { anOrder, Stack } from '../support/stack';
import {
  compose,
  composeEnvironment,
  composeVariables,
  dependencies,
  hostPathOf,
  mounts,
  publishedPorts,
  ROOT,
  service,
} from './compose';
import {
  type Exposition,
  exposes,
  legendLabels,
  matches,
  parseExposition,
  readExpression,
  type Sample,
  type Selector,
} from './promql';

/**
 * Jaeger, Prometheus and Grafana in docker-compose.yml and their files under deploy/. No Docker
 * engine runs here, so the files are checked against what they point at: the services' own
 * settings and ports, each other's paths, and a real scrape of the built services.
 */

const APPS: readonly ServiceName[] = ['order', 'payment', 'notification'];
const OBSERVABILITY = ['jaeger', 'prometheus', 'grafana'];

const VALIDATE: Record<
  ServiceName,
  (env: Record<string, unknown>) => { PORT: number; OTEL_EXPORTER_OTLP_ENDPOINT?: string }
> = {
  order: validateOrderConfig,
  payment: validatePaymentConfig,
  notification: validateNotificationConfig,
};

const readText = (path: string) => readFileSync(join(ROOT, path), 'utf8');

// --- prometheus.yml -------------------------------------------------------------------------

interface RelabelConfig {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  target_label?: string;
  replacement?: string;
  action?: string;
}

interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  scheme?: string;
  dns_sd_configs?: { names?: string[]; type?: string; port?: number }[];
  static_configs?: { targets?: string[]; labels?: Record<string, string> }[];
  relabel_configs?: RelabelConfig[];
}

const PROMETHEUS_CONFIG = 'deploy/prometheus/prometheus.yml';
const prometheusConfig = parse(readText(PROMETHEUS_CONFIG)) as { scrape_configs?: ScrapeConfig[] };
const scrapeConfigs = prometheusConfig.scrape_configs ?? [];

function scrapeConfig(job: string): ScrapeConfig {
  const found = scrapeConfigs.find((config) => config.job_name === job);
  if (!found) throw new Error(`${PROMETHEUS_CONFIG} has no job "${job}"`);
  return found;
}

interface ScrapeTarget {
  host: string;
  port: number;
  discovery: 'dns' | 'static';
  labels: Record<string, string>;
}

/** The hosts and ports a job scrapes: DNS names (type A, one target per address) or static ones. */
function targetsOf(config: ScrapeConfig): ScrapeTarget[] {
  const fromDns = (config.dns_sd_configs ?? []).flatMap((dns) => {
    // SRV records carry their own ports; with A records the port comes from the config.
    if (dns.type !== 'A' || dns.port === undefined) {
      throw new Error(`${config.job_name}: DNS discovery should ask for A records, with a port`);
    }
    return (dns.names ?? []).map((host) => ({
      host,
      port: dns.port as number,
      discovery: 'dns' as const,
      labels: {},
    }));
  });
  const fromStatic = (config.static_configs ?? []).flatMap((group) =>
    (group.targets ?? []).map((target) => {
      const [host, port] = target.split(':');
      return { host, port: Number(port), discovery: 'static' as const, labels: group.labels ?? {} };
    }),
  );
  return [...fromDns, ...fromStatic];
}

/** A target's labels after relabel_configs (the replace action, the only one used here). */
function relabel(config: ScrapeConfig, target: ScrapeTarget): Record<string, string> {
  const labels: Record<string, string> = {
    ...target.labels,
    job: config.job_name,
    __address__: `${target.host}:${target.port}`,
  };
  for (const rule of config.relabel_configs ?? []) {
    if ((rule.action ?? 'replace') !== 'replace' || !rule.target_label) {
      throw new Error(`${config.job_name}: only "replace" relabelling is understood here`);
    }
    const source = (rule.source_labels ?? [])
      .map((name) => labels[name] ?? '')
      .join(rule.separator ?? ';');
    const match = new RegExp(`^(?:${rule.regex ?? '(.*)'})$`).exec(source);
    if (!match) continue;
    labels[rule.target_label] = (rule.replacement ?? '$1').replace(
      /\$\{?(\d+)\}?/g,
      (_, group: string) => match[Number(group)] ?? '',
    );
  }
  return labels;
}

// --- Grafana provisioning and the dashboard -------------------------------------------------

const DATASOURCES_FILE = 'deploy/grafana/provisioning/datasources/prometheus.yml';
const PROVIDERS_FILE = 'deploy/grafana/provisioning/dashboards/dashboards.yml';
const DASHBOARD_FILE = 'deploy/grafana/dashboards/messaging.json';

interface Datasource {
  name: string;
  uid?: string;
  type: string;
  url?: string;
  access?: string;
}

interface DashboardProvider {
  name: string;
  type?: string;
  options?: { path?: string };
}

interface DatasourceRef {
  type?: string;
  uid?: string;
}

interface Query {
  refId?: string;
  expr?: string;
  legendFormat?: string;
  datasource?: DatasourceRef;
}

interface Panel {
  id?: number;
  type: string;
  title?: string;
  datasource?: DatasourceRef;
  gridPos?: { h: number; w: number; x: number; y: number };
  targets?: Query[];
  panels?: Panel[];
}

interface Dashboard {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  panels?: Panel[];
  templating?: { list?: unknown[] };
}

const datasources = (parse(readText(DATASOURCES_FILE)) as { datasources?: Datasource[] })
  .datasources;
const providers = (parse(readText(PROVIDERS_FILE)) as { providers?: DashboardProvider[] })
  .providers;
const dashboardText = readText(DASHBOARD_FILE);

function loadDashboard(): Dashboard {
  return JSON.parse(dashboardText) as Dashboard;
}

/** Every panel, those inside collapsed rows included, rows themselves left out. */
function panelsOf(dashboard: Dashboard): Panel[] {
  return (dashboard.panels ?? [])
    .flatMap((panel) => [panel, ...(panel.panels ?? [])])
    .filter((panel) => panel.type !== 'row');
}

/** Every query of the dashboard, with the panel it belongs to. */
function queriesOf(dashboard: Dashboard): { panel: Panel; target: Query; expr: string }[] {
  return panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel, target, expr: target.expr ?? '' })),
  );
}

function prometheusDatasource(): Datasource {
  const found = (datasources ?? []).filter((datasource) => datasource.type === 'prometheus');
  if (found.length !== 1)
    throw new Error(`${DATASOURCES_FILE}: expected one Prometheus datasource`);
  return found[0];
}

// Labels Prometheus itself adds to every scraped series (job, instance; service from
// prometheus.yml), the bucket bound of histograms, and series it records per target.
const TARGET_LABELS = new Set(['job', 'instance', 'service']);
const PROMETHEUS_SERIES = new Set(['up']);

describe('Observability: Jaeger, Prometheus and Grafana in compose, and deploy/', () => {
  describe('jaeger', () => {
    it('is Jaeger v2 all-in-one, pinned, whose default configuration receives OTLP on the network', () => {
      const jaeger = service('jaeger');
      // v2 receives OTLP (gRPC 4317, HTTP 4318) with its built-in configuration; v1's all-in-one
      // needed COLLECTOR_OTLP_ENABLED.
      expect(jaeger.image).toMatch(/^jaegertracing\/jaeger:2\.\d+\.\d+$/);
      expect(jaeger.command).toBeUndefined();
      // The host v2's configuration binds its receivers to; localhost would refuse the services.
      expect(composeEnvironment('jaeger').JAEGER_LISTEN_HOST).toBe('0.0.0.0');
      expect(publishedPorts('jaeger')).toContainEqual({
        hostIp: '127.0.0.1',
        hostPort: 16686,
        containerPort: 16686,
      });
    });

    it.each(APPS)(
      "%s sends its traces to jaeger's OTLP/HTTP port by default; set empty, tracing is off",
      (app) => {
        const endpointOf = (variables: Record<string, string>) =>
          readTelemetrySettings(composeEnvironment(app, variables), `dist/apps/${app}/main.js`)
            .endpoint;

        const endpoint = new URL(endpointOf({}) ?? 'http://unset');
        expect([endpoint.protocol, endpoint.hostname, endpoint.port]).toEqual([
          'http:',
          'jaeger',
          '4318',
        ]);
        expect(compose.services).toHaveProperty('jaeger');
        // The service's own schema takes it too.
        expect(VALIDATE[app](composeEnvironment(app)).OTEL_EXPORTER_OTLP_ENDPOINT).toBe(
          'http://jaeger:4318',
        );

        // OTEL_EXPORTER_OTLP_ENDPOINT= in .env switches tracing off; another value replaces it.
        expect(composeEnvironment(app, { OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toHaveProperty(
          'OTEL_EXPORTER_OTLP_ENDPOINT',
          '',
        );
        expect(endpointOf({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBeUndefined();
        expect(
          VALIDATE[app](composeEnvironment(app, { OTEL_EXPORTER_OTLP_ENDPOINT: '' }))
            .OTEL_EXPORTER_OTLP_ENDPOINT,
        ).toBeUndefined();
        expect(endpointOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318' })).toBe(
          'https://collector.example:4318',
        );
      },
    );
  });

  it.each(APPS)('%s does not wait for jaeger, prometheus or grafana', (app) => {
    expect(dependencies(app).filter((name) => OBSERVABILITY.includes(name))).toEqual([]);
  });

  describe('prometheus', () => {
    it('is Prometheus 3, pinned, with deploy/prometheus/prometheus.yml mounted read-only as its configuration', () => {
      const prometheus = service('prometheus');
      expect(prometheus.image).toMatch(/^prom\/prometheus:v3\.\d+\.\d+$/);
      // The image's default command reads /etc/prometheus/prometheus.yml.
      const command = [prometheus.command ?? []].flat();
      const configFile =
        command.find((arg) => arg.startsWith('--config.file='))?.split('=')[1] ??
        '/etc/prometheus/prometheus.yml';
      expect(hostPathOf('prometheus', configFile)).toBe(join(ROOT, PROMETHEUS_CONFIG));
      expect(mounts('prometheus').find((mount) => mount.target === configFile)?.readOnly).toBe(
        true,
      );
      expect(publishedPorts('prometheus')).toEqual([
        { hostIp: '127.0.0.1', hostPort: 9090, containerPort: 9090 },
      ]);
    });

    it.each(APPS)(
      'scrapes %s at GET /metrics on the PORT compose gives it, labelled with its service name',
      (app) => {
        const config = scrapeConfig(app);
        const { PORT } = VALIDATE[app](composeEnvironment(app));
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

    it('has a job for each application service and for nothing that is not a compose service', () => {
      expect(scrapeConfigs.map((config) => config.job_name).sort()).toEqual([...APPS].sort());
      for (const config of scrapeConfigs) {
        for (const target of targetsOf(config))
          expect(compose.services).toHaveProperty(target.host);
      }
    });
  });

  describe('grafana', () => {
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
        source: join(ROOT, 'deploy/grafana/provisioning'),
        readOnly: true,
      });
      for (const file of [DATASOURCES_FILE, PROVIDERS_FILE]) {
        expect(existsSync(join(ROOT, file))).toBe(true);
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
        expect(hostDirectory).toBe(join(ROOT, 'deploy/grafana/dashboards'));
        expect(mounts('grafana').find((mount) => mount.source === hostDirectory)?.readOnly).toBe(
          true,
        );
        expect(readdirSync(hostDirectory as string)).toContain('messaging.json');
      }
      // Grafana opens on one of them.
      const home = composeEnvironment('grafana').GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
      const hostFile = hostPathOf('grafana', home) ?? '';
      expect(hostFile).toBe(join(ROOT, DASHBOARD_FILE));
      expect(statSync(hostFile).isFile()).toBe(true);
    });
  });

  describe('the dashboard', () => {
    it('is valid dashboard JSON: uid, title, schema version 39+, unique panel ids, on a 24-column grid', () => {
      const dashboard = loadDashboard();
      expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
      expect(dashboard.title).toBeTruthy();
      expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
      const all = (dashboard.panels ?? []).flatMap((panel) => [panel, ...(panel.panels ?? [])]);
      const ids = all.map((panel) => panel.id);
      expect(ids.every((id) => Number.isInteger(id))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      for (const panel of all) {
        const grid = panel.gridPos;
        expect(grid).toBeDefined();
        expect((grid?.x ?? 0) + (grid?.w ?? 0)).toBeLessThanOrEqual(24);
      }
      for (const panel of panelsOf(dashboard)) {
        expect(panel.title).toBeTruthy();
        const refIds = (panel.targets ?? []).map((target) => target.refId);
        expect(refIds.length).toBeGreaterThan(0);
        expect(new Set(refIds).size).toBe(refIds.length);
      }
    });

    it('queries the provisioned datasource by its uid, in every panel and query', () => {
      const { uid, type } = prometheusDatasource();
      const dashboard = loadDashboard();
      for (const panel of panelsOf(dashboard)) {
        expect(panel.datasource).toEqual({ type, uid });
        for (const target of panel.targets ?? []) {
          expect(target.datasource ?? panel.datasource).toEqual({ type, uid });
        }
      }
      // Nothing refers to a datasource by a name or a uid that is not provisioned.
      const referenced = [...dashboardText.matchAll(/"uid":\s*"([^"]+)"/g)].map(
        (match) => match[1],
      );
      expect(
        referenced.filter((ref) => ref !== uid && ref !== dashboard.uid && ref !== '-- Grafana --'),
      ).toEqual([]);
    });

    it('charts every metric the services define (libs/telemetry metric-names)', () => {
      const used = new Set(
        queriesOf(loadDashboard()).flatMap(({ expr }) =>
          readExpression(expr).selectors.map((selector) => selector.metric),
        ),
      );
      const missing = Object.values(MetricNames).filter(
        (name) =>
          ![name, `${name}_bucket`, `${name}_count`, `${name}_sum`].some((n) => used.has(n)),
      );
      expect(missing).toEqual([]);
    });

    it.each([
      ['handler', MetricNames.handlerDuration, 'queue'],
      ['RPC', MetricNames.rpcClientDuration, 'routing_key'],
    ])('shows %s latency as p50, p95 and p99 from the histogram buckets', (_, metric, by) => {
      const quantiles = queriesOf(loadDashboard())
        .map(({ expr }) => ({ expr, parts: readExpression(expr) }))
        .filter(({ parts }) => parts.selectors.some((s) => s.metric === `${metric}_bucket`))
        .map(({ expr, parts }) => {
          expect(parts.functions[0]).toBe('histogram_quantile');
          expect(parts.grouping).toEqual(expect.arrayContaining([by, 'le']));
          return Number(/^histogram_quantile\(\s*([\d.]+)/.exec(expr)?.[1]);
        });
      expect(quantiles.sort()).toEqual([0.5, 0.95, 0.99]);
    });
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

  describe('against a real scrape of the built services', () => {
    let stack: Stack | undefined;
    const pages = new Map<string, Exposition>();

    /** GET /metrics of every running process, kept by process. */
    async function scrape(): Promise<void> {
      for (const running of stack?.services ?? []) {
        const response = await fetch(`${running.url}/metrics`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
        pages.set(`${running.name}:${running.port}`, parseExposition(await response.text()));
      }
    }

    const allSamples = (): Sample[] => [...pages.values()].flatMap((page) => page.samples);
    const samplesOf = (metric: string) => allSamples().filter((sample) => sample.name === metric);
    const selected = (selector: Selector) =>
      samplesOf(selector.metric).filter((sample) =>
        selector.matchers.every((matcher) => matches(matcher, sample.labels)),
      );

    beforeAll(async () => {
      // As compose runs them: two payment replicas.
      stack = await Stack.start('observability', { paymentReplicas: 2 });
      const running = stack;

      // One order through every queue, and the RPC (GET /orders/:id asks payment).
      const posted = await running.placeOrder(anOrder());
      await running.settledOrder(posted.body.id);
      await running.deliveredNotifications(posted.body.id, 2);

      // A malformed event: payment and notification dead-letter it.
      const client = await AmqpTestClient.connect(running.isolation.env.RABBITMQ_URL);
      try {
        await client.publish(EVENTS_EXCHANGE, 'order.created', Buffer.from('not json'), {
          messageId: randomUUID(),
          type: 'order.created',
        });
      } finally {
        await client.close();
      }
      await running.explained(
        waitFor(
          async () => {
            await scrape();
            const deadLettered = samplesOf(MetricNames.messagesConsumed).filter(
              (sample) => sample.labels.outcome === 'dead_lettered',
            );
            const depth = samplesOf(MetricNames.queueMessages).filter(
              (sample) => sample.labels.queue.endsWith('.dlq') && sample.value > 0,
            );
            return deadLettered.length >= 2 && depth.length >= 2;
          },
          { description: 'the malformed event dead-lettered by payment and notification' },
        ),
      );

      // With payment gone, order's RPC times out.
      await Promise.all(running.payments.map((payment) => payment.stop()));
      await running.orderApi().get(`/orders/${posted.body.id}`);
      await waitFor(
        async () => {
          await scrape();
          return samplesOf(MetricNames.rpcClientTimeouts).length > 0;
        },
        { description: 'order to count the RPC timeout' },
      );
    });

    afterAll(async () => {
      await stack?.stop();
    });

    it('scraped each of the three services, both payment replicas included', () => {
      const scraped = [...pages.keys()].map((key) => key.split(':')[0]);
      expect(scraped.filter((name) => name === 'payment')).toHaveLength(2);
      expect(new Set(scraped)).toEqual(new Set(APPS));
    });

    it('finds every metric the dashboard queries in what the services expose', () => {
      const names = new Set(
        queriesOf(loadDashboard()).flatMap(({ expr }) =>
          readExpression(expr).selectors.map((selector) => selector.metric),
        ),
      );
      expect(names.size).toBeGreaterThan(10);
      const missing = [...names].filter(
        (name) =>
          !PROMETHEUS_SERIES.has(name) && ![...pages.values()].some((page) => exposes(page, name)),
      );
      expect(missing).toEqual([]);
    });

    it('names only labels those metrics carry, in matchers, groupings and legends', () => {
      const jobs = scrapeConfigs.map((config) => config.job_name);
      const problems = queriesOf(loadDashboard()).flatMap(({ panel, target, expr }) => {
        const parts = readExpression(expr);
        const metrics = parts.selectors.map((selector) => selector.metric);
        const carried = new Set([
          ...TARGET_LABELS,
          ...metrics.flatMap((metric) => samplesOf(metric).flatMap((s) => Object.keys(s.labels))),
        ]);
        const named = [
          ...parts.selectors.flatMap((selector) => selector.matchers.map((m) => m.label)),
          ...parts.grouping,
          ...legendLabels(target.legendFormat ?? ''),
        ];
        const targetMatchers = parts.selectors
          .flatMap((selector) => selector.matchers)
          .filter((matcher) => matcher.label === 'job' || matcher.label === 'service');
        return [
          ...named
            .filter((label) => !carried.has(label))
            .map((label) => `${panel.title}: ${label} in ${expr}`),
          // job and service are prometheus.yml's job names.
          ...targetMatchers
            .filter((matcher) => !jobs.some((job) => matches(matcher, { [matcher.label]: job })))
            .map((matcher) => `${panel.title}: ${matcher.label} matches no job in ${expr}`),
        ];
      });
      expect(problems).toEqual([]);
    });

    /** The selector of `metric` in the panel whose title matches. */
    function panelSelector(title: RegExp, metric: string): Selector {
      const found = queriesOf(loadDashboard())
        .filter(({ panel }) => title.test(panel.title ?? ''))
        .flatMap(({ expr }) => readExpression(expr).selectors)
        .find((selector) => selector.metric === metric);
      if (!found) throw new Error(`No panel titled ${title} queries ${metric}`);
      return found;
    }

    it('shows the dead-letter queues, and only them, in the dead-letter depth panel', () => {
      const queues = (selector: Selector) =>
        new Set(selected(selector).map((sample) => sample.labels.queue));
      const all = new Set(samplesOf(MetricNames.queueMessages).map((s) => s.labels.queue));
      const deadLetter = [...all].filter((queue) => queue.endsWith('.dlq'));
      expect(deadLetter).toEqual(
        expect.arrayContaining(['payment.order-created.dlq', 'notification.order-events.dlq']),
      );

      expect(queues(panelSelector(/dead-letter/i, MetricNames.queueMessages))).toEqual(
        new Set(deadLetter),
      );
      expect(queues(panelSelector(/^queue depth/i, MetricNames.queueMessages))).toEqual(
        new Set([...all].filter((queue) => !queue.endsWith('.dlq'))),
      );
    });

    it('counts the dead-lettered event in the failed-deliveries panel, and no handled message', () => {
      const failures = selected(panelSelector(/failed/i, MetricNames.messagesConsumed));
      expect(new Set(failures.map((sample) => sample.labels.queue))).toEqual(
        new Set(['payment.order-created', 'notification.order-events']),
      );
      expect(failures.map((sample) => sample.labels.outcome)).not.toContain('ack');
    });
  });
});
