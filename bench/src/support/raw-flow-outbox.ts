import type { ConfirmChannel } from 'amqplib';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { RawRelay } from './raw-relay';
import type { RawTransaction } from './raw-transaction';

/** One message for an outbox table: an event on the exchange, or a job straight to a queue. */
export interface OutboxMessage {
  exchange: string;
  routingKey: string;
  type: string;
  payload: unknown;
  headers: Record<string, string>;
  /** A scheduled message (the order's payment deadline): due this many seconds from now. */
  delaySeconds?: number;
}

/**
 * Inserts `messages` into `table` in one statement, in the caller's transaction, sent with its
 * next statement or its COMMIT (as the starter's outbox writes); returns their ids (the
 * messageIds they are published with).
 */
export function addToOutbox(
  transaction: RawTransaction,
  table: string,
  messages: OutboxMessage[],
): string[] {
  const ids = messages.map(() => randomUUID());
  const values: unknown[] = [];
  const tuples = messages.map((message, index) => {
    values.push(
      ids[index],
      message.exchange,
      message.routingKey,
      message.type,
      JSON.stringify(message.payload),
      JSON.stringify(message.headers),
      message.delaySeconds ?? 0,
    );
    const at = index * 7;
    const due = `now() + make_interval(secs => $${at + 7})`;
    return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, ${due}, ${due})`;
  });
  transaction.defer(
    `insert into ${table} (id, exchange, routing_key, type, payload, headers, next_attempt_at, deliver_at) ` +
      `values ${tuples.join(', ')}`,
    values,
  );
  return ids;
}

/** How often a relay looks for rows nobody woke it for (another process's, left by a crash). */
const POLL_MS = 1_000;

/**
 * A process's relay (RawRelay: SKIP LOCKED claim, confirms, mark sent) run on demand: the
 * process wakes it after each commit that added outbox rows, and a poll catches the rest. One
 * drain at a time; a wake during a drain runs one more.
 */
export class RelayRunner {
  private readonly relay: RawRelay;
  private running?: Promise<void>;
  private again = false;
  private readonly timer: NodeJS.Timeout;

  constructor(pool: Pool, channel: ConfirmChannel, table: string) {
    this.relay = new RawRelay(pool, channel, table);
    this.timer = setInterval(() => this.wake(), POLL_MS);
  }

  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      // A failed drain leaves its rows unsent; the next wake or poll tries again.
      await this.relay.drain().catch(() => undefined);
    } while (this.again);
  }
}
