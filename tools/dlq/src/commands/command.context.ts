import type { ManagementReader } from '@app/messaging';
import type { DlqBrowser } from '../broker/dlq.browser';
import { DlqError } from '../dlq.errors';
import type { Output } from '../dlq.output';
import { deadLetterQueueOf } from '../messages/queue.resolution';

/** What every command works with; tests build one around an isolated virtual host. */
export interface CommandContext {
  browser: DlqBrowser;
  out: Output;
  /** Columns a table may fill; 120 unless the terminal is wider. */
  width?: number;
  /** The clock of `x-replayed-at`. */
  now?: () => Date;
  /** The management API and the virtual host of RABBITMQ_URL, for what AMQP cannot tell. */
  management?: { reader: ManagementReader; vhost: string };
}

export interface DeadLetterQueue {
  name: string;
  /** Ready messages when the command started. */
  count: number;
}

/** The dead-letter queue meant by `input`, which must exist: a typo must not look like "empty". */
export async function existingDeadLetterQueue(
  context: CommandContext,
  input: string,
): Promise<DeadLetterQueue> {
  const name = deadLetterQueueOf(input);
  const count = await context.browser.messageCount(name);
  if (count === undefined) {
    const meant = name === input.trim() ? '' : ` (the dead-letter queue of ${input.trim()})`;
    throw new DlqError(
      `queue ${name}${meant} does not exist on ${context.browser.address}; "dlq list" shows the known ones`,
    );
  }
  return { name, count };
}

/** What a command could not do, as one line, or undefined when it did everything asked. */
export function unfinished(
  queue: string,
  failed: number,
  missing: string[],
  verb: string,
): string | undefined {
  const problems: string[] = [];
  if (failed > 0) problems.push(`${failed} message(s) could not be ${verb} and stay in ${queue}`);
  if (missing.length > 0) problems.push(`no message with id ${missing.join(', ')} in ${queue}`);
  return problems.length > 0 ? problems.join('; ') : undefined;
}
