import { EVENTS_EXCHANGE, type MessageContract, type PayloadOf } from '@app/contracts';
import { CAUSATION_ID_HEADER, CORRELATION_ID_HEADER, CorrelationContext } from '@app/correlation';
import { checkPublishProperties, MessageTooLargeError } from '@app/messaging';
import {
  afterCommit,
  type BaseConfig,
  type DatabaseTransactionHost,
  TransactionStatements,
} from '@app/platform';
import { currentTraceHeaders } from '@app/telemetry';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import {
  outboxDeleteUnsentStatement,
  type OutboxInsertRow,
  outboxInsertStatement,
  outboxInsertValues,
} from './outbox-statements';
import { OUTBOX_OPTIONS, type OutboxModuleOptions } from './outbox.options';
import { OutboxRelay } from './outbox.relay';

export interface OutboxRoute {
  exchange: string;
  routingKey: string;
}

/** Where and when a message goes. Without `deliverAt`/`delayMs` the relay publishes it at once. */
export interface OutboxAddOptions {
  /** A job's queue; an event goes to the `events` exchange under its type. */
  route?: OutboxRoute;
  /** Publish no earlier than this moment (a scheduled message). */
  deliverAt?: Date;
  /** Publish no earlier than this long after the transaction began, by the database's clock. */
  delayMs?: number;
  /** Headers of the message's own (a workflow step's id); correlation and trace headers win. */
  headers?: Readonly<Record<string, string>>;
  /** The messageId (a UUID), when the caller must name the message before it is written. */
  messageId?: string;
}

/** One message of `OutboxWriter.addAll`. */
export interface OutboxMessage {
  contract: MessageContract;
  payload: unknown;
  options: OutboxAddOptions;
}

/** A message for `OutboxWriter.addAll`, its payload typed by its contract. */
export function outboxMessage<TContract extends MessageContract>(
  contract: TContract,
  payload: PayloadOf<TContract>,
  options: OutboxAddOptions = {},
): OutboxMessage {
  return { contract, payload, options };
}

/**
 * Records an outgoing message in the caller's open transaction, so the message exists if and
 * only if the business write commits. This process's relay, woken once the transaction has
 * committed, publishes it. A payload the broker
 * would refuse (above MAX_MESSAGE_BYTES) fails here, with the write, not later in the relay.
 */
@Injectable()
export class OutboxWriter {
  private readonly maxMessageBytes: number;
  /** Built once for the service's own outbox table, as is the delete of cancel and discard. */
  private readonly insertStatement: string;
  private readonly deleteUnsentStatement: string;

  constructor(
    @Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost,
    private readonly correlation: CorrelationContext,
    @Inject(OUTBOX_OPTIONS) options: OutboxModuleOptions,
    config: ConfigService<BaseConfig, true>,
    private readonly relay: OutboxRelay,
    private readonly statements: TransactionStatements,
  ) {
    this.maxMessageBytes = config.get('MAX_MESSAGE_BYTES', { infer: true });
    this.insertStatement = outboxInsertStatement(options.table);
    this.deleteUnsentStatement = outboxDeleteUnsentStatement(options.table);
  }

  /**
   * Adds `payload` as a `contract` message: an event to the `events` exchange by default, or a
   * job to `options.route`; scheduled for later with `deliverAt` or `delayMs` (no ceiling). The
   * payload is validated here, at the source. Returns the new messageId.
   */
  async add<TContract extends MessageContract>(
    contract: TContract,
    payload: PayloadOf<TContract>,
    options: OutboxAddOptions = {},
  ): Promise<string> {
    const [id] = await this.addAll([outboxMessage(contract, payload, options)]);
    return id;
  }

  /**
   * Adds several messages (built with `outboxMessage`) in one statement; their messageIds in the
   * same order. None: nothing is written. The insert needs no answer, so it goes with the
   * transaction's next statement or its COMMIT (`TransactionStatements.write`): no round trip of
   * its own. A database error it meets (a messageId given twice) fails that statement or the
   * commit, and the transaction with it.
   */
  async addAll(messages: readonly OutboxMessage[]): Promise<string[]> {
    this.requireTransaction(`add(${messages.map(({ contract }) => contract.type).join(', ')})`);
    const rows = messages.map((message) => this.row(message));
    if (rows.length === 0) return [];
    await this.statements.write(this.insertStatement, outboxInsertValues(rows));
    // In-process, once the rows are committed: a relay woken by the rows' own process, and by
    // no other (a replica finds rows that outlived their writer at its poll).
    afterCommit(this.txHost.tx, this.wakeRelay);
    return rows.map(({ id }) => id);
  }

  private readonly wakeRelay = (): void => this.relay.kick();

  private row({ contract, payload, options }: OutboxMessage): OutboxInsertRow {
    const route = options.route ?? { exchange: EVENTS_EXCHANGE, routingKey: contract.type };
    const checked: unknown = contract.schema.parse(payload);
    const bytes = Buffer.byteLength(JSON.stringify(checked));
    if (bytes > this.maxMessageBytes) throw new MessageTooLargeError(bytes, this.maxMessageBytes);
    const { correlationId, causationId } = this.correlation.current();
    const id = options.messageId ?? randomUUID();
    // The trace context of this transaction, so the relay publishes the message as part of the
    // same trace (traceparent, tracestate).
    const headers = {
      ...options.headers,
      ...currentTraceHeaders(),
      [CORRELATION_ID_HEADER]: correlationId,
      [CAUSATION_ID_HEADER]: causationId,
    };
    // What the broker would refuse fails the write, not every publish of a row that never goes.
    checkPublishProperties(route.exchange, route.routingKey, { messageId: id, headers });
    return {
      id,
      ...dueTime(options),
      exchange: route.exchange,
      routingKey: route.routingKey,
      type: contract.type,
      payload: checked,
      headers,
    };
  }

  /**
   * Cancels a scheduled (or any still unpublished) message in the caller's transaction: it is
   * gone if and only if that transaction commits. False when it was already published (or never
   * existed); a relay publishing it right now finishes first, and then it counts as published.
   */
  async cancel(messageId: string): Promise<boolean> {
    this.requireTransaction('cancel');
    const removed = await this.statements.query(this.deleteUnsentStatement, [messageId]);
    return (removed.rowCount ?? 0) > 0;
  }

  /**
   * Cancels an unpublished message as `cancel` does, for a caller that need not know whether it
   * was still unsent. The delete needs no answer, so it goes with the transaction's next
   * statement or its COMMIT (`TransactionStatements.write`): no round trip of its own; its
   * error (an id that is not a UUID) then fails that statement or the commit. A relay
   * publishing the message right now still finishes first, as for `cancel`.
   */
  async discard(messageId: string): Promise<void> {
    this.requireTransaction('discard');
    await this.statements.write(this.deleteUnsentStatement, [messageId]);
  }

  private requireTransaction(what: string): void {
    if (!this.txHost.isTransactionActive()) {
      throw new Error(
        `OutboxWriter.${what} needs an open transaction, or the message could outlive a rolled-back write`,
      );
    }
  }
}

/** A scheduled message's due time, which the insert turns into its first attempt's. */
function dueTime({
  deliverAt,
  delayMs,
}: OutboxAddOptions): Pick<OutboxInsertRow, 'deliverAt' | 'delaySeconds'> {
  if (deliverAt && delayMs !== undefined) throw new Error('Give deliverAt or delayMs, not both');
  if (delayMs !== undefined) {
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new Error(`Invalid delayMs ${delayMs}`);
    return { delaySeconds: delayMs / 1000 };
  }
  if (deliverAt && Number.isNaN(deliverAt.getTime())) throw new Error('Invalid deliverAt');
  return { deliverAt };
}
