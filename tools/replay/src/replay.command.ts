import { EVENT_LOG_QUEUE } from '@app/contracts';
import { errorMessage } from '@app/messaging';
import type { ChannelModel, ConsumeMessage } from 'amqplib';
import { EventLogQuietError, EventLogReader, type EventVisitor } from './broker/event-log.reader';
import { QueueTarget } from './broker/queue-target';
import { chosenTypes } from './chosen-types';
import {
  eventTypeOf,
  type EventSelection,
  happenedBefore,
  isChosen,
  isMislabelled,
  replayedEventProperties,
} from './event-selection';

export interface ReplayRequest {
  queue: string;
  /** Unset: the types the queue is bound to on the events exchange. */
  types?: string[];
  since?: Date;
  until?: Date;
  dryRun: boolean;
}

/** What the command works with; tests build one around an isolated virtual host. */
export interface ReplayContext {
  connection: ChannelModel;
  line: (text: string) => void;
  boundTypes: (queue: string) => Promise<string[]>;
  /**
   * The services' INBOX_RETENTION_HOURS: an event older than it may have left its consumer's
   * inbox (pruned), and would be handled again, so it is not replayed.
   */
  inboxRetentionHours: number;
  /** The clock of `x-replayed-at` and of the inbox retention. */
  now?: () => Date;
}

/** A progress line every this many replayed events. */
const PROGRESS_EVERY = 100;

function describeWindow(request: ReplayRequest): string {
  const since = request.since ? ` since ${request.since.toISOString()}` : '';
  const until = request.until ? ` until ${request.until.toISOString()}` : '';
  return since + until;
}

class Tally {
  read = 0;
  chosen = 0;
  /** Chosen, but older than the inbox retention. */
  forgotten = 0;
  /** Whose type is not their routing key: refused live, never replayed. */
  mislabelled = 0;
  readonly byType = new Map<string, number>();
  /** Every type read, chosen or not: a named type missing from it is likely misspelt. */
  readonly seen = new Set<string>();

  add(type: string): void {
    this.chosen += 1;
    this.byType.set(type, (this.byType.get(type) ?? 0) + 1);
  }

  get types(): string {
    return [...this.byType].map(([type, count]) => `${type} ${count}`).join(', ') || 'none';
  }
}

function dryRunLine(message: ConsumeMessage, offset: number): string {
  const second: unknown = message.properties.timestamp;
  const at = typeof second === 'number' ? new Date(second * 1000).toISOString() : '(no time)';
  const id = String(message.properties.messageId ?? '(no id)');
  return `  offset ${offset}  ${at}  ${eventTypeOf(message)}  ${id}`;
}

/** What happens to each event read: passed over, listed (dry run), or sent and counted. */
function replayEach(
  context: ReplayContext,
  selection: EventSelection,
  target: QueueTarget | undefined,
  tally: Tally,
  end: number,
): EventVisitor {
  const now = context.now ?? (() => new Date());
  const remembered = new Date(now().getTime() - context.inboxRetentionHours * 3_600_000);
  return async (message, offset) => {
    tally.read += 1;
    tally.seen.add(eventTypeOf(message));
    if (!isChosen(message, selection)) return;
    if (isMislabelled(message)) {
      tally.mislabelled += 1;
      return;
    }
    if (happenedBefore(message, remembered)) {
      tally.forgotten += 1;
      return;
    }
    if (!target) context.line(dryRunLine(message, offset));
    try {
      await target?.send(message.content, replayedEventProperties(message, now()));
    } catch (error) {
      throw new Error(
        `stopped at offset ${offset} after ${tally.chosen} replayed: ${errorMessage(error)}; running the replay again is safe`,
        { cause: error },
      );
    }
    tally.add(eventTypeOf(message));
    if (target && tally.chosen % PROGRESS_EVERY === 0) {
      context.line(`  ${tally.chosen} replayed, at offset ${offset} of ${end}`);
    }
  };
}

/**
 * Re-delivers chosen events of the log to one consuming queue, each with its own messageId and
 * headers plus x-replayed-at, in log order, each confirmed before the next. It reads up to the
 * newest event at its start; a failure stops it, and running it again is safe (consumers
 * deduplicate by messageId).
 */
export async function replayEvents(context: ReplayContext, request: ReplayRequest): Promise<void> {
  await QueueTarget.mustExist(context.connection, request.queue);
  const selection: EventSelection = { ...request, types: await chosenTypes(context, request) };
  const reader = new EventLogReader(context.connection);
  const end = await reader.lastOffset();
  if (end === undefined) {
    context.line(`${EVENT_LOG_QUEUE} holds no events; nothing to replay into ${request.queue}`);
    return;
  }
  const target = request.dryRun
    ? undefined
    : await QueueTarget.open(context.connection, request.queue);
  const verb = request.dryRun ? 'Would replay' : 'Replaying';
  context.line(
    `${verb} ${selection.types.join(', ')}${describeWindow(request)} from ${EVENT_LOG_QUEUE} (up to offset ${end}) into ${request.queue}`,
  );
  const tally = new Tally();
  try {
    await reader.read(request.since, end, replayEach(context, selection, target, tally, end));
  } catch (error) {
    if (!(error instanceof EventLogQuietError)) throw error;
    throw new Error(
      `stopped: ${error.message}, after ${tally.chosen} replayed; running the replay again is safe`,
      { cause: error },
    );
  } finally {
    await target?.close();
  }
  summarise(context, request, selection, tally);
}

/** The run's last lines: what it sent, and what it passed over or did not find, and why. */
function summarise(
  context: ReplayContext,
  request: ReplayRequest,
  selection: EventSelection,
  tally: Tally,
): void {
  const done = request.dryRun ? 'Would replay' : 'Replayed';
  context.line(
    `${done} ${tally.chosen} event(s) into ${request.queue} (${tally.types}); ${tally.read} event(s) of ${EVENT_LOG_QUEUE} read`,
  );
  if (tally.forgotten > 0) {
    context.line(
      `Passed over ${tally.forgotten} event(s) older than INBOX_RETENTION_HOURS (${context.inboxRetentionHours} h): their consumers' inboxes may have forgotten them, so a handler would run again; set it higher for this run to send them too`,
    );
  }
  if (tally.mislabelled > 0) {
    context.line(
      `Passed over ${tally.mislabelled} event(s) whose type is not their routing key: the consumers refused them when they were published`,
    );
  }
  const unseen = selection.types.filter((type) => !tally.seen.has(type));
  if (unseen.length > 0) {
    context.line(
      `No event read was of type ${unseen.join(' or ')}; the types read: ${[...tally.seen].sort().join(', ') || 'none'}`,
    );
  }
}
