import { OVERLAYS, validate } from './k8s/manifests';
import { overlayObjects } from './k8s/overlay-objects';
import { alertGroups } from './prometheus-rules';

/**
 * deploy/k8s: both overlays render with kustomize, every object passes the Kubernetes and the
 * operators' schemas, and the objects say what the issue asks of them: the alerts here, the
 * services, their autoscaling, the broker and the database in the k8s-*.e2e-spec.ts files beside.
 */
describe.each(OVERLAYS)('deploy/k8s overlay %s', (overlay) => {
  const { yaml, objects, one } = overlayObjects(overlay);

  it('renders objects that all validate against their schemas', () => {
    const results = validate(yaml);
    expect(results).toHaveLength(objects.length);
    expect(results.filter((result) => result.errors.length > 0)).toEqual([]);
  });

  it('alerts on the rules of deploy/prometheus/alerts.yml, the same groups', () => {
    // Edit deploy/prometheus/alerts.yml, then copy its groups into base/monitoring.yaml.
    expect(one('PrometheusRule', 'services').spec.groups).toEqual(alertGroups);
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
