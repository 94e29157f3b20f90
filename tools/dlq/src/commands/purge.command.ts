import { DlqError } from '../dlq.errors';
import { messageIdOf, NO_MESSAGE_ID, summarize } from '../messages/dead-letter.view';
import { pickMessages, type Selection } from '../messages/message.selection';
import { type CommandContext, existingDeadLetterQueue, unfinished } from './command.context';

/** Removes the chosen messages for good, naming each; the others stay in the queue. */
export async function purgeMessages(
  context: CommandContext,
  input: string,
  selection: Selection,
): Promise<void> {
  const queue = await existingDeadLetterQueue(context, input);
  const { removed, missing } = await context.browser.withMessages(
    queue.name,
    queue.count,
    (fetched) => {
      const picked = pickMessages(fetched.messages, selection);
      for (const message of picked.chosen) {
        fetched.remove(message);
        const { type, error } = summarize(message);
        const id = messageIdOf(message) ?? NO_MESSAGE_ID;
        context.out.line(`removed ${id} (${type ?? '-'}): ${error ?? 'no error recorded'}`);
      }
      return Promise.resolve({ removed: picked.chosen.length, missing: picked.missing });
    },
  );
  context.out.line(`Purged ${removed} message(s) from ${queue.name}`);
  const problem = unfinished(queue.name, 0, missing, 'purged');
  if (problem) throw new DlqError(problem);
}
