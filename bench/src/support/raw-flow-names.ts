/**
 * The raw order flow's names: its processes load this and the role modules only (pg, amqplib,
 * node:http), not the bench's Nest-based support.
 */
export const RAW_FLOW_SERVICE = 'raw-flow-service';
export const RAW_FLOW_ROLES = ['order', 'payment', 'notification'] as const;
export type RawFlowRole = (typeof RAW_FLOW_ROLES)[number];

/** The raw order flow's schema, beside the services' in the end-to-end database. */
export const RAW_FLOW_SCHEMA = 'bench_raw_flow';
export const RAW_FLOW_PREFIX = 'bench-raw-flow';

/** Its tables, named for the role that owns them. */
export const RAW_FLOW_TABLES = {
  orders: `${RAW_FLOW_SCHEMA}.orders`,
  orderOutbox: `${RAW_FLOW_SCHEMA}.order_outbox`,
  orderInbox: `${RAW_FLOW_SCHEMA}.order_inbox`,
  payments: `${RAW_FLOW_SCHEMA}.payments`,
  paymentOutbox: `${RAW_FLOW_SCHEMA}.payment_outbox`,
  paymentInbox: `${RAW_FLOW_SCHEMA}.payment_inbox`,
  notifications: `${RAW_FLOW_SCHEMA}.notifications`,
  notificationOutbox: `${RAW_FLOW_SCHEMA}.notification_outbox`,
  notificationInbox: `${RAW_FLOW_SCHEMA}.notification_inbox`,
  workflows: `${RAW_FLOW_SCHEMA}.workflows`,
  workflowSteps: `${RAW_FLOW_SCHEMA}.workflow_steps`,
  confirmations: `${RAW_FLOW_SCHEMA}.order_confirmations`,
} as const;

/** Its exchange and queues, named like the starter's under a prefix. */
export const RAW_FLOW_AMQP = {
  events: `${RAW_FLOW_PREFIX}.events`,
  eventLog: `${RAW_FLOW_PREFIX}.events.log`,
  orderCreated: `${RAW_FLOW_PREFIX}.payment.order-created`,
  paymentResults: `${RAW_FLOW_PREFIX}.order.payment-results`,
  orderEvents: `${RAW_FLOW_PREFIX}.notification.order-events`,
  deliveries: `${RAW_FLOW_PREFIX}.notification.deliver`,
  paymentDeadlines: `${RAW_FLOW_PREFIX}.order.payment-deadlines`,
} as const;
