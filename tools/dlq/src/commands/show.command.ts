import type { GetMessage } from 'amqplib';
import { DlqError } from '../dlq.errors';
import { bodyLines, headerLines, propertyLines } from '../format/message.format';
import { messageIdOf, NO_MESSAGE_ID } from '../messages/dead-letter.view';
import { pickMessages, type Selection } from '../messages/message.selection';
import { type CommandContext, existingDeadLetterQueue } from './command.context';

function messageLines(message: GetMessage, position: number, total: number, queue: string) {
  return [
    `Message ${messageIdOf(message) ?? NO_MESSAGE_ID} (${position} of ${total} in ${queue})`,
    '',
    'Properties',
    ...propertyLines(message),
    '',
    'Headers',
    ...headerLines(message),
    '',
    ...bodyLines(message),
  ];
}

/** Everything about the chosen messages; they stay in the queue, in their places. */
export async function showMessages(
  context: CommandContext,
  input: string,
  selection: Selection,
): Promise<void> {
  const queue = await existingDeadLetterQueue(context, input);
  const missing = await context.browser.withMessages(queue.name, queue.count, (fetched) => {
    const picked = pickMessages(fetched.messages, selection);
    picked.chosen.forEach((message, index) => {
      if (index > 0) context.out.line('');
      const position = fetched.messages.indexOf(message) + 1;
      messageLines(message, position, fetched.messages.length, queue.name).forEach((line) =>
        context.out.line(line),
      );
    });
    if (selection.all && picked.chosen.length === 0) context.out.line(`${queue.name} is empty`);
    return Promise.resolve(picked.missing);
  });
  if (missing.length > 0) {
    throw new DlqError(`no message with id ${missing.join(', ')} in ${queue.name}`);
  }
}
