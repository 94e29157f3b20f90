import { consumerQueueOptions, eventLogOptions } from '@app/messaging';
import { STARTER_QUEUE_MAX_LENGTH } from './starter-defaults';
import type { Channel } from 'amqplib';
import type { Pool } from 'pg';
import { RAW_FLOW_AMQP, RAW_FLOW_SCHEMA, RAW_FLOW_TABLES } from './raw-flow-names';

/** Each raw table is a copy (columns, defaults, checks, indexes, keys) of the service's table. */
const COPIES: [keyof typeof RAW_FLOW_TABLES, string][] = [
  ['orders', 'orders.orders'],
  ['orderOutbox', 'orders.outbox'],
  ['orderInbox', 'orders.inbox'],
  ['payments', 'payments.payments'],
  ['paymentOutbox', 'payments.outbox'],
  ['paymentInbox', 'payments.inbox'],
  ['notifications', 'notifications.notifications'],
  ['notificationOutbox', 'notifications.outbox'],
  ['notificationInbox', 'notifications.inbox'],
  ['workflows', 'notifications.workflows'],
  ['workflowSteps', 'notifications.workflow_steps'],
  ['confirmations', 'notifications.order_confirmations'],
];

const BINDINGS: [string, string[]][] = [
  [RAW_FLOW_AMQP.orderCreated, ['order.created']],
  [RAW_FLOW_AMQP.paymentResults, ['payment.succeeded', 'payment.failed']],
  [RAW_FLOW_AMQP.orderEvents, ['order.created', 'order.paid', 'order.cancelled']],
  [RAW_FLOW_AMQP.deliveries, []],
];

/** Creates the raw flow's tables (empty) from the services' migrated ones. */
export async function createRawFlowTables(pool: Pool): Promise<void> {
  await pool.query(`drop schema if exists ${RAW_FLOW_SCHEMA} cascade`);
  await pool.query(`create schema ${RAW_FLOW_SCHEMA}`);
  for (const [name, source] of COPIES) {
    await pool.query(`create table ${RAW_FLOW_TABLES[name]} (like ${source} including all)`);
  }
  // `like` copies no foreign key; the starter's steps reference their workflow.
  await pool.query(
    `alter table ${RAW_FLOW_TABLES.workflowSteps} add foreign key (workflow_id) ` +
      `references ${RAW_FLOW_TABLES.workflows} (id)`,
  );
}

export function dropRawFlowTables(pool: Pool): Promise<unknown> {
  return pool.query(`drop schema if exists ${RAW_FLOW_SCHEMA} cascade`);
}

/**
 * The starter's kind of topology: a durable topic exchange, quorum consuming queues (bounded,
 * delivery limit, dead-lettered to a classic `.dlq`), and the event log stream bound to `#`.
 * The starter's idle retry queues are left out: nothing is retried in the bench.
 */
export async function declareRawFlowTopology(channel: Channel): Promise<void> {
  await channel.assertExchange(RAW_FLOW_AMQP.events, 'topic', { durable: true });
  await channel.assertQueue(RAW_FLOW_AMQP.eventLog, eventLogOptions('7D'));
  await channel.bindQueue(RAW_FLOW_AMQP.eventLog, RAW_FLOW_AMQP.events, '#');
  for (const [queue, types] of BINDINGS) {
    const dlq = `${queue}.dlq`;
    await channel.assertQueue(dlq, { durable: true, arguments: { 'x-queue-type': 'classic' } });
    await channel.assertQueue(
      queue,
      consumerQueueOptions(queue, undefined, STARTER_QUEUE_MAX_LENGTH),
    );
    for (const type of types) await channel.bindQueue(queue, RAW_FLOW_AMQP.events, type);
  }
}
