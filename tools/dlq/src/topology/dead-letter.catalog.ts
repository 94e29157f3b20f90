import { deadLetterQueueName, type ServiceTopology } from '@app/messaging';
import { SERVICES } from '@app/services';

export interface KnownDeadLetterQueue {
  service: string;
  queue: string;
  kind: 'consumer' | 'rpc';
  deadLetterQueue: string;
}

const TOPOLOGIES: readonly ServiceTopology[] = SERVICES.map((service) => service.topology);

/** Every dead-letter queue the services declare, read from the service registry, not restated. */
export function knownDeadLetterQueues(
  topologies: readonly ServiceTopology[] = TOPOLOGIES,
): KnownDeadLetterQueue[] {
  return topologies.flatMap((topology) =>
    Object.values(topology.queues).map((queue) => ({
      service: topology.service,
      queue: queue.name,
      kind: queue.kind,
      deadLetterQueue: deadLetterQueueName(queue.name),
    })),
  );
}
