import { EVENT_LOG_QUEUE } from '@app/contracts';
import { connectFirstNode, ownerOfSideQueue, tellWhenBlocked, virtualHostOf } from '@app/messaging';
import { printableLines } from '@app/correlation';
import { runProgram } from '@app/platform';
import { Command, InvalidArgumentError } from 'commander';
import { boundEventTypes } from './broker/bound-types';
import { type ReplayContext, type ReplayRequest, replayEvents } from './replay.command';
import { loadReplayConfig } from './replay.config';

export interface ProgramIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs `work` against the broker; opened only once the arguments are known to be valid. */
export type Session = (work: (context: ReplayContext) => Promise<void>) => Promise<void>;

const stdio: ProgramIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const PROGRAM_HELP = `
Events are read from the event log (the events.log stream, kept for EVENT_LOG_MAX_AGE) up to the
newest one at the start, and sent to <queue> through the default exchange with their own
messageId and headers, plus x-replayed-at. Consumers deduplicate by messageId, so replaying what
a queue's consumer already handled changes nothing; a new consumer backfills its history.

Environment:
  RABBITMQ_URL             the broker, or a comma-separated list of the nodes of one cluster
                           (default amqp://guest:guest@localhost:5672)
  RABBITMQ_MANAGEMENT_URL  for the event types <queue> is bound to: replayed without --type,
                           and a --type not among them refused (unchecked when it does not
                           answer) (default http://guest:guest@localhost:15672)
  INBOX_RETENTION_HOURS    the services' own: older events are passed over, as their consumers'
                           inboxes may have forgotten them (default 720)

Examples:
  $ npm run replay -- shipping.order-events --type order.paid
  $ npm run replay -- notification.order-events --since 2026-03-01T00:00:00Z --dry-run
  $ npm run replay -- payment.order-created --since 2026-03-01T09:00:00Z --until 2026-03-01T10:00:00Z`;

/**
 * A day (UTC), or a time with its offset: `2026-03-01`, `2026-03-01T09:00:00Z`,
 * `2026-03-01T10:00+01:00`. Date.parse alone is lenient: it rolls 2026-02-30 over into March,
 * reads `2026-03-01junk` as June and a time without an offset as the machine's local time, each
 * silently moving the window.
 */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;

export function parseTime(value: string): Date {
  const parts = ISO_TIME.exec(value.trim());
  const [year, month, day] = (parts ?? []).slice(1, 4).map(Number);
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls a day past the month's end over into the next month.
  if (parts === null || calendarDay.getUTCMonth() !== month - 1) {
    throw new InvalidArgumentError(
      'must be an ISO 8601 day or a time with its offset, e.g. 2026-03-01 or 2026-03-01T09:00:00Z',
    );
  }
  return new Date(Date.parse(value.trim()));
}

/** The broker session of the real CLI: configuration read and validated, one connection. */
export function brokerSession(io: ProgramIo): Session {
  return async (work) => {
    const config = loadReplayConfig();
    const { connection } = await connectFirstNode(config.RABBITMQ_URL);
    connection.on('error', () => undefined);
    tellWhenBlocked(
      connection,
      (text) => io.err(`${text}\n`),
      'running the replay again later is safe',
    );
    const vhost = virtualHostOf(config.RABBITMQ_URL);
    try {
      await work({
        connection,
        // The events' types are what their publishers wrote: escaped for the terminal.
        line: printableLines(io.out),
        boundTypes: (queue) => boundEventTypes(config.RABBITMQ_MANAGEMENT_URL, vhost, queue),
        inboxRetentionHours: config.INBOX_RETENTION_HOURS,
      });
    } finally {
      await connection.close().catch(() => undefined);
    }
  };
}

export interface CliOptions {
  since?: Date;
  until?: Date;
  type?: string[];
  dryRun?: boolean;
}

/**
 * Refuses a queue events must not be replayed into: the log itself (each copy would be logged
 * again), or a dead-letter or retry queue, whose consuming queue is meant.
 */
function assertConsumingQueue(queue: string): void {
  if (queue === EVENT_LOG_QUEUE) {
    throw new Error(
      `${queue} is the event log itself: name the consuming queue to replay into; nothing was replayed`,
    );
  }
  const owner = ownerOfSideQueue(queue);
  if (owner) {
    throw new Error(
      `${queue} is the ${owner.role} queue of ${owner.queue}: replay into ${owner.queue} itself; nothing was replayed`,
    );
  }
}

export function replayRequest(queue: string, options: CliOptions): ReplayRequest {
  assertConsumingQueue(queue);
  if (options.since && options.until && options.since > options.until) {
    throw new Error('--since is after --until; nothing was replayed');
  }
  if (options.type?.includes('')) {
    throw new Error('--type is given an empty event type; nothing was replayed');
  }
  return {
    queue,
    types: options.type,
    since: options.since,
    until: options.until,
    dryRun: options.dryRun === true,
  };
}

export function buildProgram(session: Session, io: ProgramIo): Command {
  return new Command('replay')
    .description('Re-deliver events from the event log to one consuming queue.')
    .argument('<queue>', 'the consuming queue to deliver the events to')
    .option(
      '--since <time>',
      'events from this time on (ISO 8601: a day, UTC, or a time with its offset)',
      parseTime,
    )
    .option('--until <time>', 'events up to this time (the same form)', parseTime)
    .option('--type <event...>', 'these event types only (default: those <queue> is bound to)')
    .option('--dry-run', 'list the events that would be replayed, and send nothing')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .addHelpText('after', PROGRAM_HELP)
    .action((queue: string, options: CliOptions) => {
      const request = replayRequest(queue, options);
      return session((context) => replayEvents(context, request));
    });
}

/** Runs the CLI and returns its exit code: 0 on success, 1 with one line on stderr otherwise. */
export async function runReplay(
  argv: string[],
  io: ProgramIo = stdio,
  session: Session = brokerSession(io),
): Promise<number> {
  return runProgram(buildProgram(session, io), argv, io.err);
}
