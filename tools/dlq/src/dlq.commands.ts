import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CommandContext } from './commands/command.context';
import { DEFAULT_LIST_LIMIT, listMessages, listQueues } from './commands/list.command';
import { purgeMessages } from './commands/purge.command';
import { replayMessages } from './commands/replay.command';
import { showMessages } from './commands/show.command';
import { listUnacked } from './commands/unacked.command';
import { type Selection, selectionFrom, type SelectionOptions } from './messages/message.selection';

/** Runs `work` against the broker; opened only once the arguments are known to be valid. */
export type Session = (work: (context: CommandContext) => Promise<void>) => Promise<void>;

type SelectionAction = (
  context: CommandContext,
  queue: string,
  selection: Selection,
) => Promise<void>;

interface SelectionCommand {
  name: string;
  /** One line for the program's command list. */
  summary: string;
  about: string;
  verb: string;
  example: string;
  action: SelectionAction;
}

export function parseLimit(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new InvalidArgumentError('must be a whole number of 1 or more');
  }
  return Number(value);
}

const examples = (...lines: string[]) =>
  `\nExamples:\n${lines.map((line) => `  $ npm run dlq -- ${line}`).join('\n')}`;

function addList(program: Command, session: Session): void {
  program
    .command('list [queue]')
    .summary('the dead-letter queues, or the messages in one')
    .description(
      'without <queue>: every dead-letter queue of the services and its message count;\n' +
        'with <queue>: a table of the messages in its dead-letter queue (left in place)',
    )
    .option('--limit <n>', 'show at most n messages', parseLimit, DEFAULT_LIST_LIMIT)
    .addHelpText('after', examples('list', 'list payment.order-created --limit 10'))
    .action((queue: string | undefined, options: { limit: number }) =>
      session((context) =>
        queue === undefined ? listQueues(context) : listMessages(context, queue, options.limit),
      ),
    );
}

function addSelectionCommand(program: Command, session: Session, spec: SelectionCommand): void {
  program
    .command(`${spec.name} <queue>`)
    .summary(spec.summary)
    .description(spec.about)
    .option('--id <messageId...>', `${spec.verb} the messages with these ids (after <queue>)`)
    .addOption(new Option('--all', `${spec.verb} every message in the queue`).conflicts('id'))
    .addHelpText('after', examples(...spec.example.split('\n')))
    .action((queue: string, options: SelectionOptions) => {
      const selection = selectionFrom(options, spec.name);
      return session((context) => spec.action(context, queue, selection));
    });
}

function addUnacked(program: Command, session: Session): void {
  program
    .command('unacked')
    .summary('messages delivered and not yet acknowledged, per queue and consumer')
    .description(
      'every queue holding unacknowledged messages, and the consumers (by connection name: the\n' +
        'service) holding them, from the management API; a count that never goes down is a\n' +
        'stuck handler (see docs/operations.md, "Stuck messages")',
    )
    .addHelpText('after', examples('unacked'))
    .action(() => session((context) => listUnacked(context)));
}

export function addCommands(program: Command, session: Session): void {
  addList(program, session);
  addUnacked(program, session);
  addSelectionCommand(program, session, {
    name: 'show',
    verb: 'show',
    summary: 'everything about chosen messages',
    about: 'print the properties, headers and body of messages (left in place)',
    example: 'show payment.order-created --id 6f1c2a4e-0b7d-4f3e-9a52-1c2d3e4f5a6b',
    action: showMessages,
  });
  addSelectionCommand(program, session, {
    name: 'replay',
    verb: 'replay',
    summary: 'send chosen messages back to their queue',
    about:
      'send messages back to the queue they failed on, with a fresh attempt count;\n' +
      'each leaves the dead-letter queue only once the broker has confirmed its copy',
    example:
      'replay payment.order-created --id 6f1c2a4e-0b7d-4f3e-9a52-1c2d3e4f5a6b\nreplay payment.order-created --all',
    action: replayMessages,
  });
  addSelectionCommand(program, session, {
    name: 'purge',
    verb: 'remove',
    summary: 'remove chosen messages for good',
    about: 'remove messages from the dead-letter queue for good',
    example: 'purge payment.order-created.dlq --id 6f1c2a4e-0b7d-4f3e-9a52-1c2d3e4f5a6b',
    action: purgeMessages,
  });
}
