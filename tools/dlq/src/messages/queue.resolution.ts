import {
  deadLetterQueueName,
  type Headers,
  headerText,
  MessageHeaders,
  ownerOfSideQueue,
} from '@app/messaging';
import { DlqError } from '../dlq.errors';

const DLQ_SUFFIX = deadLetterQueueName('');

/** The dead-letter queue meant by a queue name as typed: the consuming queue's or its `.dlq`. */
export function deadLetterQueueOf(input: string): string {
  const name = input.trim();
  if (name === '' || name === DLQ_SUFFIX) throw new DlqError('the queue name is empty');
  return name.endsWith(DLQ_SUFFIX) ? name : deadLetterQueueName(name);
}

/** The queue whose failures a dead-letter queue collects, by the naming convention. */
export function sourceQueueOf(deadLetterQueue: string): string {
  const side = ownerOfSideQueue(deadLetterQueue);
  return side?.role === 'dead-letter' ? side.queue : deadLetterQueue;
}

/**
 * Where a dead-lettered message goes back to: the queue that gave up on it, as the consumer
 * recorded it; a copy dead-lettered by the broker itself lacks that header, so the name decides.
 */
export function replayTarget(headers: Headers | undefined, deadLetterQueue: string): string {
  const recorded = headerText(headers, MessageHeaders.sourceQueue)?.trim();
  return recorded ? recorded : sourceQueueOf(deadLetterQueue);
}
