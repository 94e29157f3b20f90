import { baseConfigSchema } from '@app/platform';
import { SERVICES } from '@app/services';
import { APPS, CONFIG } from './app-configs';
import { composeEnvironment } from './compose';
import { type K8sObject, objectsOf, OVERLAYS, renderOverlay, validate } from './k8s/manifests';
import { BROKER_JOB, scrapeConfig } from './prometheus-config';
import { alertGroups } from './prometheus-rules';

/**
 * deploy/k8s: both overlays render with kustomize, every object passes the Kubernetes and the
 * operators' schemas, and the objects say what the issue asks of them.
 */
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string } };
}

/**
 * The $(NAME) references Kubernetes leaves as they are: it expands those of the variables above
 * the one referring to them only.
 */
function unexpandedReferences(variables: EnvVar[]): string[] {
  return variables.flatMap((variable, index) =>
    [...(variable.value ?? '').matchAll(/\$\(([A-Z0-9_]+)\)/g)]
      .map(([, name]) => name)
      .filter((name) => !variables.slice(0, index).some((above) => above.name === name))
      .map((name) => `${variable.name}: $(${name})`),
  );
}

interface Trigger {
  type: string;
  metadata: { mode: string; queueName: string };
}

/** The queues a service consumes, as its definition declares them. */
function consumerQueueNames(service: string): string[] {
  const definition = SERVICES.find(({ name }) => name === service);
  return Object.values(definition?.topology.queues ?? {})
    .filter((queue) => queue.kind === 'consumer')
    .map((queue) => queue.name);
}

/** What every service reads: set in settings.yaml and the URLs, not per service. */
const SHARED_KEYS = Object.keys(baseConfigSchema({ port: 0, serviceName: 'any' }).shape);
/**
 * The fake payment provider's and notification sender's knobs, for trying the system out on one
 * machine; a cluster leaves them at their defaults (no declines beyond the limit, no failures).
 */
const SIMULATION_KNOBS = [
  'PAYMENT_DECLINE_ABOVE',
  'PAYMENT_TRANSIENT_FAILURE_RATE',
  'NOTIFICATION_TRANSIENT_FAILURE_RATE',
  'NOTIFICATION_UNDELIVERABLE_CHANNELS',
];

describe.each(OVERLAYS)('deploy/k8s overlay %s', (overlay) => {
  const yaml = renderOverlay(overlay);
  const objects = objectsOf(yaml);
  const find = (kind: string, name?: string): K8sObject[] =>
    objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  const one = (kind: string, name: string): K8sObject => {
    const [found] = find(kind, name);
    if (!found) throw new Error(`${overlay}: no ${kind} ${name}`);
    return found;
  };
  const settings = () => one('ConfigMap', 'service-settings').data ?? {};

  it('renders objects that all validate against their schemas', () => {
    const results = validate(yaml);
    expect(results).toHaveLength(objects.length);
    expect(results.filter((result) => result.errors.length > 0)).toEqual([]);
  });

  it.each(APPS)(
    'runs %s with health probes, resources, a PDB and a grace period above the drain',
    (name) => {
      const deployment = one('Deployment', name);
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      // Traffic follows the database, not the broker or the outbox, which requests ride out.
      expect(container.readinessProbe.httpGet.path).toBe('/health/serving');
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      expect(container.resources.requests).toEqual(
        expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
      );
      expect(container.resources.limits.memory).toEqual(expect.any(String));
      const shutdownMs = CONFIG.order.validate(settings()).SHUTDOWN_TIMEOUT_MS;
      const [sleep, seconds] = container.lifecycle.preStop.exec.command as string[];
      expect(sleep).toBe('sleep');
      const preStopMs = Number(seconds) * 1000;
      expect(preStopMs).toBeGreaterThan(0);
      expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
        preStopMs + shutdownMs + 5000,
      );
      const pdb = one('PodDisruptionBudget', name);
      expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      const variables = container.env as EnvVar[];
      const env = Object.fromEntries(variables.map((e) => [e.name, e.value ?? '']));
      expect(unexpandedReferences(variables)).toEqual([]);
      // Every node of the overlay's cluster, each once, and no node it does not run.
      const nodes = one('RabbitmqCluster', 'rabbitmq').spec.replicas as number;
      expect(env.RABBITMQ_URL.split(',').map((url) => new URL(url).host)).toEqual(
        Array.from({ length: nodes }, (_, node) => `rabbitmq-server-${node}.rabbitmq-nodes:5672`),
      );
      expect(env.DATABASE_URL).toContain('@postgres-pooler-rw:');
      expect(env.DATABASE_DIRECT_URL).toContain('@postgres-rw:');
      const secrets = variables.flatMap((e) =>
        e.valueFrom ? [e.valueFrom.secretKeyRef.name] : [],
      );
      expect(secrets).toEqual(['rabbitmq-service-users', 'postgres-app']);
    },
  );

  it('brings its credentials in dev only: an apply elsewhere never writes over the real ones', () => {
    const secrets = find('Secret').map((secret) => secret.metadata.name);
    if (overlay === 'prod') {
      expect(secrets).toEqual([]);
      return;
    }
    expect(secrets.sort()).toEqual(['keda-rabbitmq', 'rabbitmq-service-users']);
    const passwords = one('Secret', 'rabbitmq-service-users').stringData ?? {};
    expect(Object.keys(passwords).sort()).toEqual(SERVICES.map((service) => service.name).sort());
  });

  it.each(APPS)(
    'gives %s the settings of its own that compose gives it, with the same values',
    (name) => {
      const [container] = one('Deployment', name).spec.template.spec.containers;
      const env: Record<string, string | undefined> = {
        ...settings(),
        ...Object.fromEntries((container.env as EnvVar[]).map((e) => [e.name, e.value])),
      };
      const composed = composeEnvironment(name);
      const own = Object.keys(composed).filter(
        (key) => !SHARED_KEYS.includes(key) && !SIMULATION_KNOBS.includes(key),
      );
      expect(Object.fromEntries(own.map((key) => [key, env[key]]))).toEqual(
        Object.fromEntries(own.map((key) => [key, composed[key]])),
      );
    },
  );

  it('validates the shared settings with the services’ own config schemas', () => {
    for (const app of APPS) {
      expect(() => CONFIG[app].validate(settings())).not.toThrow();
    }
  });

  it('scales payment and notification with KEDA on their queue length, and is scraped by Prometheus', () => {
    const queues = (name: string) =>
      (one('ScaledObject', name).spec.triggers as Trigger[]).map((t) => [
        t.type,
        t.metadata.mode,
        t.metadata.queueName,
      ]);
    // At least these; a queue the handler generator adds to either service scales it too.
    expect(queues('payment')).toEqual(
      expect.arrayContaining([['rabbitmq', 'QueueLength', 'payment.order-created']]),
    );
    expect(queues('notification')).toEqual(
      expect.arrayContaining([
        ['rabbitmq', 'QueueLength', 'notification.order-events'],
        ['rabbitmq', 'QueueLength', 'notification.deliver'],
      ]),
    );
    for (const service of ['payment', 'notification']) {
      const consumed = consumerQueueNames(service);
      for (const [, , queueName] of queues(service)) expect(consumed).toContain(queueName);
    }
    expect(one('ServiceMonitor', 'services').spec.endpoints).toEqual([
      expect.objectContaining({ port: 'http', path: '/metrics' }),
    ]);
    expect(one('Job', 'broker-setup').spec.template.spec.containers[0].command).toContain('apply');
  });

  it('alerts on the rules of deploy/prometheus/alerts.yml, the same groups', () => {
    // Edit deploy/prometheus/alerts.yml, then copy its groups into base/monitoring.yaml.
    expect(one('PrometheusRule', 'services').spec.groups).toEqual(alertGroups);
  });

  it('scrapes the broker’s per-queue counts as prometheus.yml does, on its cluster’s Service', () => {
    const broker = scrapeConfig(BROKER_JOB);
    const monitor = one('ServiceMonitor', 'rabbitmq').spec;
    expect(monitor.endpoints).toEqual([
      expect.objectContaining({
        port: 'prometheus',
        path: broker.metrics_path,
        params: broker.params,
      }),
    ]);
    // The operator labels its Services with the cluster's name.
    const cluster = one('RabbitmqCluster', 'rabbitmq').metadata.name;
    expect(monitor.selector.matchLabels['app.kubernetes.io/name']).toBe(cluster);
  });

  it('scrapes PostgreSQL’s exporter on its cluster’s instances, with a PodMonitor of its own', () => {
    const cluster = one('Cluster', 'postgres');
    expect(cluster.spec.monitoring?.enablePodMonitor).toBeUndefined();
    const monitor = one('PodMonitor', 'postgres').spec;
    expect(monitor.selector.matchLabels).toEqual({ 'cnpg.io/cluster': cluster.metadata.name });
    expect(monitor.podMetricsEndpoints).toEqual([expect.objectContaining({ port: 'metrics' })]);
  });

  it('scales each service on every queue its consumers compete for, and only on its own', () => {
    const queuesOf = new Map<string, string[]>(
      SERVICES.map((service) => [
        service.name,
        Object.values(service.topology.queues).map((queue) => queue.name),
      ]),
    );
    for (const scaled of find('ScaledObject')) {
      const target: string = scaled.spec.scaleTargetRef.name;
      expect(find('Deployment', target)).toHaveLength(1);
      // The ScaledObject alone sets the count: a Deployment's own would undo it on each apply
      // (dev runs one of everything).
      if (overlay === 'prod') expect(one('Deployment', target).spec.replicas).toBeUndefined();
      const queues = (scaled.spec.triggers as Trigger[]).map(
        (trigger) => trigger.metadata.queueName,
      );
      expect({ target, queues }).toEqual({
        target,
        queues: queues.filter((queue) => queuesOf.get(target)?.includes(queue)),
      });
      const unscaled = consumerQueueNames(target).filter((queue) => !queues.includes(queue));
      expect({ target, unscaled }).toEqual({ target, unscaled: [] });
    }
  });

  it('runs the broker and the database on their operators, three nodes each in prod', () => {
    const nodes = overlay === 'prod' ? 3 : 1;
    expect(one('RabbitmqCluster', 'rabbitmq').spec.replicas).toBe(nodes);
    // Evictions keep a majority of the brokers (the operator makes no budget of its own).
    const brokers = one('PodDisruptionBudget', 'rabbitmq').spec;
    expect(brokers.minAvailable).toBe(overlay === 'prod' ? 2 : 0);
    expect(brokers.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'rabbitmq' });
    expect(one('Cluster', 'postgres').spec.instances).toBe(nodes);
    expect(one('Pooler', 'postgres-pooler-rw').spec.pgbouncer.poolMode).toBe('transaction');
    expect(settings().QUORUM_INITIAL_GROUP_SIZE).toBe(String(nodes));
    expect(find('StatefulSet')).toEqual([]);
  });
});

describe('the manifest validation itself', () => {
  it('rejects wrong types, unknown operator fields and kinds it has no schema for', () => {
    const broken = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: a }\nspec: { replicas: two, selector: {}, template: {} }',
      'apiVersion: rabbitmq.com/v1beta1\nkind: RabbitmqCluster\nmetadata: { name: b }\nspec: { replica: 3 }',
      'apiVersion: postgresql.cnpg.io/v1\nkind: Pooler\nmetadata: { name: c }\nspec: { cluster: { name: p }, pgbouncer: { poolMode: statement } }',
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: d }',
    ].join('\n---\n');
    const results = validate(broken);
    expect(results.map((result) => [result.name, result.errors.length > 0])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
      ['d', true],
    ]);
    expect(results[3].errors).toEqual(['no schema for example.com/v1/Widget']);
  });
});
