import type { Channel, ConsumeMessage } from 'amqplib';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { inTransaction, RAW_SCHEMA, type RawTransaction } from './raw-transaction';

const INSERT_EFFECT = `insert into ${RAW_SCHEMA}.effects (message_id, value, attempt) values ($1, $2, 1)`;

/** What one message does in its transaction. */
export type RawEffect = (transaction: RawTransaction, message: ConsumeMessage) => Promise<unknown>;

function effectOf(message: ConsumeMessage): { messageId: string; value: string } {
  const { value } = JSON.parse(message.content.toString()) as { value: string };
  return { messageId: String(message.properties.messageId), value };
}

/** A diagnostic: the effect alone, without the inbox row the starter writes. */
export const effectOnly: RawEffect = (transaction, message) => {
  const { messageId, value } = effectOf(message);
  return transaction.query(INSERT_EFFECT, [messageId, value]);
};

/** Records `message` in `inbox` for `handler`; false when it was already there (a duplicate). */
export async function recordInInbox(
  transaction: RawTransaction,
  inbox: string,
  handler: string,
  message: ConsumeMessage,
): Promise<boolean> {
  const bodyHash = createHash('sha256').update(message.content).digest('hex');
  const recorded = await transaction.query(
    `insert into ${inbox} (message_id, handler, body_hash) values ($1, $2, $3) ` +
      `on conflict do nothing returning message_id`,
    [String(message.properties.messageId), handler, bodyHash],
  );
  return recorded.rowCount === 1;
}

/**
 * The baseline consume's targets are judged against: the starter's SQL written raw (inbox row
 * with the body's sha256 first, skipped when already there, then the effect), the same work
 * without the library.
 */
export const inboxThenEffect: RawEffect = async (transaction, message) => {
  const recorded = await recordInInbox(transaction, `${RAW_SCHEMA}.inbox`, 'bench', message);
  if (recorded) await effectOnly(transaction, message);
};

/** One message: its effect in one transaction, then the ack (after the commit, never before). */
async function handle(
  channel: Channel,
  pool: Pool,
  options: RawConsumerOptions,
  message: ConsumeMessage,
): Promise<void> {
  try {
    const { wroteOutbox } = await inTransaction(pool, (transaction) =>
      options.effect(transaction, message),
    );
    if (wroteOutbox) options.committed?.();
    channel.ack(message);
  } catch {
    channel.reject(message, true);
  }
}

/**
 * The raw consumer: manual acks, `prefetch` messages in flight, one PostgreSQL transaction per
 * message on a pool sized like a service's. Returns a function that cancels it and waits for
 * the messages in flight.
 */
export interface RawConsumerOptions {
  queue: string;
  prefetch: number;
  effect: RawEffect;
  /** Called after each commit that wrote outbox rows, before the ack (to wake the relay). */
  committed?: () => void;
}

export async function startRawConsumer(
  channel: Channel,
  pool: Pool,
  options: RawConsumerOptions,
): Promise<() => Promise<void>> {
  const inFlight = new Set<Promise<void>>();
  await channel.prefetch(options.prefetch);
  const { consumerTag } = await channel.consume(
    options.queue,
    (message) => {
      if (message === null) return;
      const work: Promise<void> = handle(channel, pool, options, message).finally(() =>
        inFlight.delete(work),
      );
      inFlight.add(work);
    },
    { noAck: false },
  );
  return async () => {
    await channel.cancel(consumerTag);
    await Promise.allSettled([...inFlight]);
  };
}
