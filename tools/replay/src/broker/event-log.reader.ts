import { EVENT_LOG_QUEUE } from '@app/contracts';
import { errorMessage } from '@app/messaging';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';

/** Stream consumers must acknowledge; this many events are read ahead of the one replayed. */
const READ_AHEAD = 100;
/**
 * The newest chunk arrives at once: this long after its first delivery, all of it is here. Not
 * this long without a delivery: events appended meanwhile are delivered too, and a log that
 * takes one a second would never fall quiet.
 */
const LAST_CHUNK_MS = 1_000;
/** This long without anything to read means nothing more is in reach (say, --since is past the end). */
const IDLE_MS = 3_000;

/** A log that holds events delivers its last chunk within IDLE_MS too: before, it reads as empty. */
const LAST_CHUNK: ReadLimits = { idleMs: IDLE_MS, afterFirstMs: LAST_CHUNK_MS };

/** The broker stopped delivering the log before the read reached its end. */
export class EventLogQuietError extends Error {
  override name = 'EventLogQuietError';
}

export type EventVisitor = (message: ConsumeMessage, offset: number) => Promise<void>;

export function streamOffset(message: ConsumeMessage): number {
  const offset: unknown = message.properties.headers?.['x-stream-offset'];
  if (typeof offset !== 'number') throw new Error('a message from the event log has no offset');
  return offset;
}

/** Where a read starts: the first event kept, or the first chunk written at or after `since`. */
function startOffset(since?: Date): unknown {
  return since ? { '!': 'timestamp', value: Math.floor(since.getTime() / 1000) } : 'first';
}

interface ReadLimits {
  /** The read ends once nothing has arrived or waited for this long. */
  idleMs: number;
  /** Given, the read ends this long after its first delivery, whatever still arrives. */
  afterFirstMs?: number;
}

/**
 * Runs one stream consumer until `finish` is called, handing deliveries to `deliver` one at a
 * time in order; `finish` settles the returned promise, as do the `limits`.
 */
async function consumeUntilDone(
  channel: Channel,
  offset: unknown,
  limits: ReadLimits,
  deliver: (message: ConsumeMessage, finish: (error?: unknown) => void) => Promise<void>,
): Promise<void> {
  await channel.prefetch(READ_AHEAD);
  await new Promise<void>((resolve, reject) => {
    let chain = Promise.resolve();
    let pending = 0;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let cutOff: NodeJS.Timeout | undefined;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(cutOff);
      if (error === undefined) resolve();
      else reject(error instanceof Error ? error : new Error(errorMessage(error)));
    };
    const arm = () => {
      clearTimeout(timer);
      if (pending === 0) timer = setTimeout(() => finish(), limits.idleMs);
    };
    channel.once('close', () => finish(new Error('the broker closed the channel to events.log')));
    arm();
    const onMessage = (message: ConsumeMessage | null) => {
      if (message === null) return finish(new Error('the broker cancelled the read of events.log'));
      pending += 1;
      clearTimeout(timer);
      if (limits.afterFirstMs !== undefined && cutOff === undefined) {
        cutOff = setTimeout(() => finish(), limits.afterFirstMs);
      }
      chain = chain
        .then(() => (done ? undefined : deliver(message, finish)))
        .catch(finish)
        .finally(() => {
          pending -= 1;
          if (!done) arm();
        });
    };
    channel
      .consume(EVENT_LOG_QUEUE, onMessage, {
        noAck: false,
        arguments: { 'x-stream-offset': offset },
      })
      .catch(finish);
  });
}

/** Reads the event log, a stream, with plain AMQP consumers on channels of their own. */
export class EventLogReader {
  constructor(private readonly connection: ChannelModel) {}

  /**
   * The offset of the newest event in the log now, or undefined when it holds none: the read
   * stops there, so events appended while it runs (replayed ones' effects among them) are not.
   */
  async lastOffset(): Promise<number | undefined> {
    let last: number | undefined;
    await this.withChannel((channel) =>
      consumeUntilDone(channel, 'last', LAST_CHUNK, (message) => {
        last = Math.max(last ?? -1, streamOffset(message));
        channel.ack(message);
        return Promise.resolve();
      }),
    );
    return last;
  }

  /**
   * Hands every event from `since` (or the first kept) up to offset `end` to `visit`, in order.
   * Fails when the broker fell quiet before `end` was reached, rather than report a part as all;
   * with `since`, a read given nothing found no event from then on.
   */
  async read(since: Date | undefined, end: number, visit: EventVisitor): Promise<void> {
    let last: number | undefined;
    await this.withChannel((channel) =>
      consumeUntilDone(
        channel,
        startOffset(since),
        { idleMs: IDLE_MS },
        async (message, finish) => {
          const offset = streamOffset(message);
          last = offset;
          if (offset > end) return finish();
          await visit(message, offset);
          channel.ack(message);
          if (offset === end) finish();
        },
      ),
    );
    const stoppedShort = last === undefined ? since === undefined : last < end;
    if (stoppedShort) {
      const reached = last === undefined ? 'before its first event' : `at offset ${last}`;
      throw new EventLogQuietError(
        `the broker sent nothing more of ${EVENT_LOG_QUEUE} for ${IDLE_MS / 1000} s, ${reached} of ${end}`,
      );
    }
  }

  private async withChannel(work: (channel: Channel) => Promise<void>): Promise<void> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      await work(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }
}
