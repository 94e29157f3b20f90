import { baseConfigSchema } from '@app/platform';
import { SERVICES } from '@app/services';
import { APPS, CONFIG } from './app-configs';
import { composeEnvironment } from './compose';
import { OVERLAYS } from './k8s/manifests';
import { overlayObjects } from './k8s/overlay-objects';

/**
 * deploy/k8s: each service's Deployment (probes, resources, drain, broker and database URLs,
 * credentials) and its settings, the same as compose's.
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

describe.each(OVERLAYS)('deploy/k8s overlay %s: the services', (overlay) => {
  const { find, one, settings } = overlayObjects(overlay);

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
});
