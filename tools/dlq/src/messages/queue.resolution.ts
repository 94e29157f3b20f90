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
 * Where a dead-lettered message goes back to: the queue its dead-letter queue collects for, by
 * the name. The consumer records that queue in `x-source-queue` too, but a header is what the
 * sender says (anyone who may publish to the queue, and the broker keeps it when it dead-letters
 * a message itself): one naming another queue is refused, never followed into it.
 */
export function replayTarget(
  headers: Headers | undefined,
  deadLetterQueue: string,
): { target: string; problem?: string } {
  const target = sourceQueueOf(deadLetterQueue);
  const recorded = headerText(headers, MessageHeaders.sourceQueue)?.trim();
  if (!recorded || recorded === target) return { target };
  const problem = `its x-source-queue names ${recorded}, but ${deadLetterQueue} collects for ${target}`;
  return { target, problem };
}
