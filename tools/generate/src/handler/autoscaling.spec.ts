import { parseAllDocuments } from 'yaml';
import { AUTOSCALING, scaleOnQueue } from './autoscaling';

const EXISTING = `# KEDA scales the consumers on the depth of their queues.
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata:
  name: rabbitmq
spec:
  secretTargetRef:
    - { parameter: host, name: keda-rabbitmq, key: host }
---
# Payment replicas compete for payment.order-created.
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: payment
spec:
  scaleTargetRef: { name: payment }
  triggers:
    - type: rabbitmq
      authenticationRef: { name: rabbitmq }
      metadata: { protocol: http, mode: QueueLength, value: '200', queueName: payment.order-created }
`;

interface ScaledObject {
  kind: string;
  metadata: { name: string };
  spec: { scaleTargetRef: { name: string }; triggers: { metadata: { queueName: string } }[] };
}

/** The files scaleOnQueue reads and writes, in memory; `written` lists what it wrote. */
class FilesInMemory {
  readonly written: string[] = [];
  constructor(private readonly files: Map<string, string>) {}
  exists = (file: string) => this.files.has(file);
  read = (file: string) => this.files.get(file) ?? '';
  write = (file: string, text: string) => {
    this.files.set(file, text);
    this.written.push(file);
  };
}

describe('scaleOnQueue: KEDA scaling for a queue the generator declares', () => {
  let workspace: FilesInMemory;
  const text = () => workspace.read(AUTOSCALING);
  const scaled = () =>
    parseAllDocuments(text())
      .map((document) => document.toJSON() as ScaledObject)
      .filter((object) => object.kind === 'ScaledObject');
  const queuesOf = (service: string) =>
    scaled()
      .find((object) => object.metadata.name === service)
      ?.spec.triggers.map((trigger) => trigger.metadata.queueName);

  const withFile = (yaml: string) =>
    new FilesInMemory(
      new Map([
        [AUTOSCALING, yaml],
        ...['payment', 'order', 'shipping'].map((service): [string, string] => [
          `deploy/k8s/base/${service}.yaml`,
          `# ${service}\n`,
        ]),
      ]),
    );

  beforeEach(() => {
    workspace = withFile(EXISTING);
  });

  it("adds a trigger to the service's ScaledObject, keeping the file's comments", () => {
    scaleOnQueue(workspace, 'payment', 'payment.shipment-events', false);
    expect(queuesOf('payment')).toEqual(['payment.order-created', 'payment.shipment-events']);
    expect(text()).toContain('# Payment replicas compete for payment.order-created.');
    expect(text()).toContain('# KEDA scales the consumers on the depth of their queues.');
    expect(workspace.written).toEqual([AUTOSCALING]);
  });

  it('gives a service its own ScaledObject for its first queue, on its Deployment', () => {
    scaleOnQueue(workspace, 'shipping', 'shipping.order-events', true);
    const shipping = scaled().find((object) => object.metadata.name === 'shipping');
    expect(shipping?.spec.scaleTargetRef).toEqual({ name: 'shipping' });
    expect(queuesOf('shipping')).toEqual(['shipping.order-events']);
    expect(queuesOf('payment')).toEqual(['payment.order-created']);
  });

  it("leaves the replica count to KEDA: its first ScaledObject takes the Deployment's away", () => {
    const manifest = 'deploy/k8s/base/shipping.yaml';
    workspace.write(
      manifest,
      [
        '# shipping',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: { name: shipping }',
        'spec:',
        '  replicas: 2',
        '  selector: { matchLabels: { app: shipping } }',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: shipping }',
        '',
      ].join('\n'),
    );
    scaleOnQueue(workspace, 'shipping', 'shipping.order-events', true);
    const [deployment, service] = parseAllDocuments(workspace.read(manifest)).map(
      (document) => document.toJSON() as { kind: string; spec?: Record<string, unknown> },
    );
    expect(deployment.spec).toEqual({ selector: { matchLabels: { app: 'shipping' } } });
    expect(service.kind).toBe('Service');
    expect(workspace.read(manifest)).toContain('# shipping');
  });

  it('leaves a service that has queues and no ScaledObject at its fixed replica count', () => {
    scaleOnQueue(workspace, 'order', 'order.shipment-events', false);
    expect(text()).toBe(EXISTING);
    expect(workspace.written).toEqual([]);
  });

  it('leaves the file alone for a service without a Deployment in deploy/k8s', () => {
    scaleOnQueue(workspace, 'billing', 'billing.order-events', true);
    expect(text()).toBe(EXISTING);
    expect(workspace.written).toEqual([]);
  });

  it('stops, naming the file, when it is not valid YAML', () => {
    workspace = withFile(`${EXISTING}  - [unclosed\n`);
    expect(() => scaleOnQueue(workspace, 'payment', 'payment.shipment-events', false)).toThrow(
      `${AUTOSCALING} is not valid YAML`,
    );
    expect(workspace.written).toEqual([]);
  });

  it('stops, naming the file, when the ScaledObject has no list of triggers', () => {
    workspace = withFile(EXISTING.replace(/ {2}triggers:[^]*$/, ''));
    expect(() => scaleOnQueue(workspace, 'payment', 'payment.shipment-events', false)).toThrow(
      `${AUTOSCALING}: the ScaledObject payment has no list of triggers`,
    );
  });
});
