import { EVENTS_EXCHANGE, type MessageContract, type PayloadOf } from '@app/contracts';
import { CAUSATION_ID_HEADER, CORRELATION_ID_HEADER, CorrelationContext } from '@app/correlation';
import { MessageTooLargeError } from '@app/messaging';
import type { BaseConfig, DatabaseTransactionHost } from '@app/platform';
import { currentTraceHeaders } from '@app/telemetry';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { notifyChannelOf, OUTBOX_OPTIONS, type OutboxModuleOptions } from './outbox.options';

export interface OutboxRoute {
  exchange: string;
  routingKey: string;
}

/**
 * Records an outgoing message in the caller's open transaction, so the message exists if and
 * only if the business write commits. The relay publishes it after commit. A payload the broker
 * would refuse (above MAX_MESSAGE_BYTES) fails here, with the write, not later in the relay.
 */
@Injectable()
export class OutboxWriter {
  private readonly maxMessageBytes: number;

  constructor(
    @Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost,
    private readonly correlation: CorrelationContext,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxModuleOptions,
    config: ConfigService<BaseConfig, true>,
  ) {
    this.maxMessageBytes = config.get('MAX_MESSAGE_BYTES', { infer: true });
  }

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
    const checked = contract.schema.parse(payload);
    const bytes = Buffer.byteLength(JSON.stringify(checked));
    if (bytes > this.maxMessageBytes) throw new MessageTooLargeError(bytes, this.maxMessageBytes);
    const { correlationId, causationId } = this.correlation.current();
    const id = randomUUID();
    const insert = this.txHost.tx.insert(this.options.table).values({
      id,
      exchange: route.exchange,
      routingKey: route.routingKey,
      type: contract.type,
      payload: checked,
      // The trace context of this transaction, so the relay publishes the message as part of
      // the same trace (traceparent, tracestate).
      headers: {
        ...currentTraceHeaders(),
        [CORRELATION_ID_HEADER]: correlationId,
        [CAUSATION_ID_HEADER]: causationId,
      },
    });
    // One round trip: the notification is delivered to the relay only if this transaction commits.
    await this.txHost.tx.execute(
      sql`with inserted as ${insert} select pg_notify(${notifyChannelOf(this.options.schema)}, '')`,
    );
    return id;
  }
}
