import { SERVICES } from '@app/services';
import { OVERLAYS } from './k8s/manifests';
import { overlayObjects } from './k8s/overlay-objects';

/** deploy/k8s: KEDA scales the services on the queues they consume. */
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

describe.each(OVERLAYS)('deploy/k8s overlay %s: autoscaling', (overlay) => {
  const { find, one } = overlayObjects(overlay);

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
});
