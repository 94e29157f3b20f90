import { deadLetterQueueName } from '@app/messaging';
import type { DeclaredQueue } from '../declared/recording-channel';
import type { HandledQueue, ServiceTopologyView } from '../declared/declared-topology';

/** A declared queue with the queue of the service's topology it serves. */
export interface QueueRole {
  declared: DeclaredQueue;
  owner: HandledQueue;
  role: 'consumer' | 'rpc' | 'retry' | 'dead-letter';
}

/** Every queue a service declares, each with its role beside the queue it belongs to. */
export function queueRoles(view: ServiceTopologyView): QueueRole[] {
  return view.queues.map((declared) => {
    const owner = view.handled.find(
      ({ queue }) =>
        declared.name === queue.name ||
        declared.name === deadLetterQueueName(queue.name) ||
        declared.name.startsWith(`${queue.name}.retry.`),
    );
    if (!owner) throw new Error(`${view.service.name} declares ${declared.name} for no queue`);
    return { declared, owner, role: roleOf(declared.name, owner) };
  });
}

function roleOf(name: string, owner: HandledQueue): QueueRole['role'] {
  if (name === deadLetterQueueName(owner.queue.name)) return 'dead-letter';
  if (name !== owner.queue.name) return 'retry';
  return owner.queue.kind;
}

/** What a queue is for, in a sentence, from its role and its arguments. */
export function describeQueue({ declared, owner, role }: QueueRole, service: string): string {
  const args = declared.arguments;
  switch (role) {
    case 'consumer':
      return `Consumed by ${service}; a failed message goes to a retry queue, then to ${deadLetterQueueName(declared.name)}.`;
    case 'rpc':
      return `Requests answered by ${service} over direct reply-to; an unanswerable one is copied to ${deadLetterQueueName(declared.name)}.`;
    case 'retry':
      return `Retry queue of ${owner.queue.name}: holds a failed message for ${String(args['x-message-ttl'])} ms, then dead-letters it back to ${String(args['x-dead-letter-routing-key'])}.`;
    case 'dead-letter':
      return `Dead-letter queue of ${owner.queue.name}: messages that cannot succeed or ran out of retries, with x-error and x-attempts (npm run dlq).`;
  }
}
