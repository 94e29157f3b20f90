import { isSeq, parseAllDocuments, parseDocument } from 'yaml';
import type { Workspace } from '../workspace';

export const AUTOSCALING = 'deploy/k8s/base/autoscaling.yaml';

/** One more replica per 200 messages waiting in the queue, as for payment and notification. */
const trigger = (queue: string): string => `type: rabbitmq
authenticationRef: { name: rabbitmq }
metadata:
  protocol: http
  mode: QueueLength
  value: '200'
  queueName: ${queue}
`;

const scaledObject = (service: string, queue: string): string => `---
# Replicas of ${service} compete for the queues below: one more per 200 waiting messages.
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: ${service}
spec:
  scaleTargetRef: { name: ${service} }
  minReplicaCount: 2
  maxReplicaCount: 6
  cooldownPeriod: 300
  triggers:
    - ${trigger(queue).trimEnd().replace(/\n/g, '\n      ')}
`;

/**
 * KEDA scales a service on the depth of a queue the generator has just declared for it: a trigger
 * more on the service's ScaledObject, or a ScaledObject of its own for its first queue. A service
 * that has queues and no ScaledObject (order) was left to a fixed replica count on purpose and is
 * not changed; nor is one without a Deployment in deploy/k8s.
 */
export function scaleOnQueue(
  workspace: Pick<Workspace, 'exists' | 'read' | 'write'>,
  service: string,
  queue: string,
  firstQueue: boolean,
): void {
  if (!workspace.exists(AUTOSCALING) || !workspace.exists(`deploy/k8s/base/${service}.yaml`)) {
    return;
  }
  const text = workspace.read(AUTOSCALING);
  const withItsTrigger = withTrigger(text, service, queue);
  if (withItsTrigger !== undefined) {
    workspace.write(AUTOSCALING, withItsTrigger);
  } else if (firstQueue) {
    workspace.write(AUTOSCALING, `${text.trimEnd()}\n${scaledObject(service, queue)}`);
    leaveReplicasToKeda(workspace, `deploy/k8s/base/${service}.yaml`);
  }
}

/** A Deployment's own count would reset the ScaledObject's on every `kubectl apply`. */
function leaveReplicasToKeda(workspace: Pick<Workspace, 'read' | 'write'>, file: string): void {
  const documents = parseAllDocuments(workspace.read(file));
  const deployment = documents.find((document) => document.get('kind') === 'Deployment');
  if (!deployment?.hasIn(['spec', 'replicas'])) return;
  deployment.deleteIn(['spec', 'replicas']);
  workspace.write(file, documents.map(String).join(''));
}

/** The file with the trigger added to the service's ScaledObject; undefined when it has none. */
function withTrigger(text: string, service: string, queue: string): string | undefined {
  const documents = parseAllDocuments(text);
  const [error] = documents.flatMap((document) => document.errors);
  if (error) throw new Error(`${AUTOSCALING} is not valid YAML: ${error.message}`);
  const scaled = documents.find(
    (document) =>
      document.get('kind') === 'ScaledObject' && document.getIn(['metadata', 'name']) === service,
  );
  if (!scaled) return undefined;
  const triggers = scaled.getIn(['spec', 'triggers']);
  if (!isSeq(triggers)) {
    throw new Error(`${AUTOSCALING}: the ScaledObject ${service} has no list of triggers`);
  }
  triggers.add(parseDocument(trigger(queue)).contents);
  return documents.map(String).join('');
}
