import type { GetMessage } from 'amqplib';
import type { FetchedMessages } from '../broker/fetched.messages';
import { DlqError, oneLine } from '../dlq.errors';
import { messageIdOf, messageTypeOf, NO_MESSAGE_ID } from '../messages/dead-letter.view';
import { pickMessages, type Selection } from '../messages/message.selection';
import { replayTarget } from '../messages/queue.resolution';
import { replayProperties } from '@app/messaging';
import { type CommandContext, existingDeadLetterQueue, unfinished } from './command.context';

interface Replayed {
  ok: boolean;
  target: string;
}

/**
 * Sends one message back to its queue and removes it from the dead-letter queue only once the
 * broker has confirmed the copy; a copy nobody took leaves it where it was.
 */
async function replayOne(
  context: CommandContext,
  fetched: FetchedMessages,
  message: GetMessage,
): Promise<Replayed> {
  const id = messageIdOf(message) ?? NO_MESSAGE_ID;
  const { target, problem } = replayTarget(message.properties.headers, fetched.queue);
  const stays = `it stays in ${fetched.queue}`;
  if (problem) {
    context.out.line(`not replayed ${id}: ${problem}; ${stays}`);
    return { ok: false, target };
  }
  // Typed as its consumer read it: through the default exchange the routing key is the queue's
  // name, which an untyped message would otherwise be read as.
  const type = messageTypeOf(message);
  const properties = {
    ...replayProperties(message, (context.now ?? (() => new Date()))()),
    ...(type !== undefined && { type }),
  };
  try {
    if ((await fetched.publish(target, message.content, properties)) === 'returned') {
      context.out.line(`not replayed ${id}: no queue ${target} took it (unroutable); ${stays}`);
      return { ok: false, target };
    }
  } catch (error) {
    context.out.line(`not replayed ${id}: ${oneLine(error)}; ${stays}`);
    return { ok: false, target };
  }
  try {
    fetched.remove(message);
  } catch (error) {
    context.out.line(
      `replayed ${id} to ${target}, but could not remove it (${oneLine(error)}); ${stays} too`,
    );
    return { ok: false, target };
  }
  context.out.line(`replayed ${id} (${type ?? '-'}) to ${target}`);
  return { ok: true, target };
}

/** Replays the chosen messages one by one and reports each, then what it did overall. */
export async function replayMessages(
  context: CommandContext,
  input: string,
  selection: Selection,
): Promise<void> {
  const queue = await existingDeadLetterQueue(context, input);
  const { results, missing } = await context.browser.withMessages(
    queue.name,
    queue.count,
    async (fetched) => {
      const picked = pickMessages(fetched.messages, selection);
      const results: Replayed[] = [];
      for (const message of picked.chosen) results.push(await replayOne(context, fetched, message));
      return { results, missing: picked.missing };
    },
  );
  const done = results.filter((result) => result.ok);
  const targets = [...new Set(done.map((result) => result.target))].join(', ');
  context.out.line(
    `Replayed ${done.length} message(s) from ${queue.name}${targets ? ` to ${targets}` : ''}`,
  );
  const problem = unfinished(queue.name, results.length - done.length, missing, 'replayed');
  if (problem) throw new DlqError(problem);
}
