import type { ConfirmChannel, Message } from 'amqplib';
import type { Pool } from 'pg';
import { publishConfirmed } from './raw-amqp';
import { inTransaction } from './raw-transaction';

interface OutboxRecord {
  id: string;
  exchange: string;
  routing_key: string;
  type: string;
  payload: unknown;
  headers: Record<string, string>;
  created_at: Date;
}

/**
 * The outbox relay written directly against pg and amqplib, with the starter relay's
 * guarantees: claim a batch with SKIP LOCKED in a transaction (BEGIN sent with the claim, as the
 * starter's relay does), publish every row persistent and mandatory on a confirm channel, mark
 * sent only what the broker confirmed and did not return, with the commit. One batch after the
 * other, until a batch comes back short.
 */
export class RawRelay {
  private readonly returned = new Set<string>();
  private readonly claim: string;
  private readonly mark: string;

  constructor(
    private readonly pool: Pool,
    private readonly channel: ConfirmChannel,
    table: string,
    private readonly batchSize = 100,
  ) {
    this.claim =
      `select * from ${table} where sent_at is null and next_attempt_at <= now() ` +
      `order by created_at limit $1 for update skip locked`;
    this.mark = `update ${table} set sent_at = now() where id = any($1::uuid[])`;
    // A mandatory message no queue takes comes back before its confirm.
    channel.on('return', (message: Message) => {
      const id: unknown = message.properties.messageId;
      if (typeof id === 'string') this.returned.add(id);
    });
  }

  async drain(): Promise<void> {
    while ((await this.relayBatch()) === this.batchSize);
  }

  private relayBatch(): Promise<number> {
    const batch = inTransaction(this.pool, async (transaction) => {
      const { rows } = await transaction.query<OutboxRecord>(this.claim, [this.batchSize]);
      if (rows.length === 0) return 0;
      const results = await Promise.allSettled(rows.map((row) => this.publish(row)));
      const sent = rows.filter(
        (row, index) => results[index].status === 'fulfilled' && !this.returned.delete(row.id),
      );
      // With the COMMIT, in one round trip, as the starter's relay marks its batch.
      const ids = `{${sent.map((row) => row.id).join(',')}}`;
      if (sent.length > 0) transaction.defer(this.mark, [ids]);
      return rows.length;
    });
    return batch.then(({ value }) => value);
  }

  private publish(row: OutboxRecord): Promise<void> {
    return publishConfirmed(
      this.channel,
      row.exchange,
      row.routing_key,
      Buffer.from(JSON.stringify(row.payload)),
      {
        messageId: row.id,
        type: row.type,
        timestamp: Math.floor(row.created_at.getTime() / 1000),
        contentType: 'application/json',
        appId: 'bench',
        headers: row.headers,
        persistent: true,
        mandatory: true,
      },
    );
  }
}
