import { OVERLAYS } from './k8s/manifests';
import { overlayObjects } from './k8s/overlay-objects';
import { BROKER_JOB, scrapeConfig } from './prometheus-config';

/** deploy/k8s: RabbitMQ and PostgreSQL run on their operators and are scraped by Prometheus. */
describe.each(OVERLAYS)('deploy/k8s overlay %s: the broker and the database', (overlay) => {
  const { find, one, settings } = overlayObjects(overlay);

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
