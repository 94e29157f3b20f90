import { EVENTS_EXCHANGE, type MessageContract, type PayloadOf } from '@app/contracts';
import { CAUSATION_ID_HEADER, CORRELATION_ID_HEADER, CorrelationContext } from '@app/correlation';
import type { DatabaseTransactionHost } from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { notifyChannelOf, OUTBOX_OPTIONS, type OutboxModuleOptions } from './outbox.options';

export interface OutboxRoute {
  exchange: string;
  routingKey: string;
}

/**
 * Records an outgoing message in the caller's open transaction, so the message exists if and
 * only if the business write commits. The relay publishes it after commit.
 */
@Injectable()
export class OutboxWriter {
  constructor(
    @Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost,
    private readonly correlation: CorrelationContext,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxModuleOptions,
  ) {}

  /**
   * Adds `payload` as a `contract` message: an event to the `events` exchange by default, or a
   * job to `route`. The payload is validated here, at the source. Returns the new messageId.
   */
  async add<TContract extends MessageContract>(
    contract: TContract,
    payload: PayloadOf<TContract>,
    route: OutboxRoute = { exchange: EVENTS_EXCHANGE, routingKey: contract.type },
  ): Promise<string> {
    if (!this.txHost.isTransactionActive()) {
      throw new Error(
        `OutboxWriter.add(${contract.type}) needs an open transaction, or the message could outlive a rolled-back write`,
      );
    }
    const { correlationId, causationId } = this.correlation.current();
    const id = randomUUID();
    const insert = this.txHost.tx.insert(this.options.tables.outbox).values({
      id,
      exchange: route.exchange,
      routingKey: route.routingKey,
      type: contract.type,
      payload: contract.schema.parse(payload),
      headers: { [CORRELATION_ID_HEADER]: correlationId, [CAUSATION_ID_HEADER]: causationId },
    });
    // One round trip: the notification is delivered to the relay only if this transaction commits.
    await this.txHost.tx.execute(
      sql`with inserted as ${insert} select pg_notify(${notifyChannelOf(this.options.schema)}, '')`,
    );
    return id;
  }
}
