import type { GetMessage } from 'amqplib';
import { type Column, formatTable } from '../format/table.format';
import { NO_MESSAGE_ID, summarize } from '../messages/dead-letter.view';
import { knownDeadLetterQueues } from '../topology/dead-letter.catalog';
import { type CommandContext, existingDeadLetterQueue } from './command.context';

export const DEFAULT_LIST_LIMIT = 50;

const MESSAGE_COLUMNS: Column[] = [
  { header: 'MESSAGE ID' },
  { header: 'TYPE', maxWidth: 24 },
  { header: 'FAILED AT (UTC)', maxWidth: 19 },
  { header: 'ATTEMPTS', align: 'right' },
  { header: 'SOURCE QUEUE', maxWidth: 30 },
  { header: 'ERROR' },
];

/** To the second, without the ISO punctuation: every character saved is one more of the error. */
const shortTime = (iso: string | undefined): string =>
  iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '') : '-';

function messageRow(message: GetMessage): string[] {
  const summary = summarize(message);
  return [
    summary.messageId ?? NO_MESSAGE_ID,
    summary.type ?? '-',
    shortTime(summary.failedAt),
    summary.attempts ?? '-',
    summary.sourceQueue ?? '-',
    summary.error ?? '-',
  ];
}

/** Every dead-letter queue of the registered services, with how many messages wait in it. */
export async function listQueues(context: CommandContext): Promise<void> {
  const rows: string[][] = [];
  for (const known of knownDeadLetterQueues()) {
    const count = await context.browser.messageCount(known.deadLetterQueue);
    rows.push([
      known.deadLetterQueue,
      known.service,
      count === undefined ? 'not declared' : String(count),
    ]);
  }
  const columns: Column[] = [
    { header: 'DEAD-LETTER QUEUE' },
    { header: 'SERVICE' },
    { header: 'MESSAGES', align: 'right' },
  ];
  formatTable(columns, rows).forEach((line) => context.out.line(line));
}

/** The first `limit` messages of a dead-letter queue, all of them left where they were. */
export async function listMessages(
  context: CommandContext,
  input: string,
  limit = DEFAULT_LIST_LIMIT,
): Promise<void> {
  const queue = await existingDeadLetterQueue(context, input);
  if (queue.count === 0) {
    context.out.line(`${queue.name} is empty`);
    return;
  }
  const rows = await context.browser.withMessages(
    queue.name,
    Math.min(limit, queue.count),
    (fetched) => Promise.resolve(fetched.messages.map(messageRow)),
  );
  context.out.line(`${queue.name}: ${queue.count} message(s)`);
  formatTable(MESSAGE_COLUMNS, rows, { width: context.width, minLastWidth: 12 }).forEach((line) =>
    context.out.line(line),
  );
  const more = queue.count - rows.length;
  if (more > 0) context.out.line(`… and ${more} more (--limit ${queue.count} shows all)`);
}
