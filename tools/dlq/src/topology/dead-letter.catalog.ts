import { deadLetterQueueName, type ServiceTopology } from '@app/messaging';
import { notificationTopology } from '../../../../apps/notification/src/notification.topology';
import { orderTopology } from '../../../../apps/order/src/order.topology';
import { paymentTopology } from '../../../../apps/payment/src/payment.topology';

export interface KnownDeadLetterQueue {
  service: string;
  queue: string;
  kind: 'consumer' | 'rpc';
  deadLetterQueue: string;
}

const TOPOLOGIES: readonly ServiceTopology[] = [
  orderTopology,
  paymentTopology,
  notificationTopology,
];

/** Every dead-letter queue the services declare, read from their topologies, not restated. */
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
