import type { Channel, ConsumeMessage } from 'amqplib';
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { RAW_SCHEMA } from './fixture';
import { inTransaction } from './raw-pg';

const INSERT_EFFECT = `insert into ${RAW_SCHEMA}.effects (message_id, value, attempt) values ($1, $2, 1)`;
const INSERT_INBOX =
  `insert into ${RAW_SCHEMA}.inbox (message_id, handler, body_hash) values ($1, 'bench', $2) ` +
  `on conflict do nothing returning message_id`;

/** What one message does in its transaction. */
export type RawEffect = (
  client: PoolClient,
  messageId: string,
  value: string,
  content: Buffer,
) => Promise<unknown>;

/** The baseline: the effect alone. */
export const effectOnly: RawEffect = (client, messageId, value) =>
  client.query(INSERT_EFFECT, [messageId, value]);

/**
 * A diagnostic: the starter's SQL written raw (inbox row with the body's sha256 first, skipped
 * when already there, then the effect), to tell the cost of the extra statement from the cost
 * of the library.
 */
export const inboxThenEffect: RawEffect = async (client, messageId, value, content) => {
  const bodyHash = createHash('sha256').update(content).digest('hex');
  const recorded = await client.query(INSERT_INBOX, [messageId, bodyHash]);
  if (recorded.rowCount === 1) await effectOnly(client, messageId, value, content);
};

/** One message: its effect in one transaction, then the ack (after the commit, never before). */
async function handle(
  channel: Channel,
  pool: Pool,
  effect: RawEffect,
  message: ConsumeMessage,
): Promise<void> {
  try {
    const { value } = JSON.parse(message.content.toString()) as { value: string };
    const messageId = String(message.properties.messageId);
    await inTransaction(pool, (client) => effect(client, messageId, value, message.content));
    channel.ack(message);
  } catch {
    channel.nack(message, false, true);
  }
}

/**
 * The raw consumer: manual acks, `prefetch` messages in flight, one PostgreSQL transaction per
 * message on a pool sized like a service's. Returns a function that cancels it and waits for
 * the messages in flight.
 */
export async function startRawConsumer(
  channel: Channel,
  pool: Pool,
  options: { queue: string; prefetch: number; effect: RawEffect },
): Promise<() => Promise<void>> {
  const inFlight = new Set<Promise<void>>();
  await channel.prefetch(options.prefetch);
  const { consumerTag } = await channel.consume(
    options.queue,
    (message) => {
      if (message === null) return;
      const work: Promise<void> = handle(channel, pool, options.effect, message).finally(() =>
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
