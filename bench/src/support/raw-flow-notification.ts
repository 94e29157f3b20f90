import type { ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { recordInInbox } from './raw-consumer';
import type { RawTransaction } from './raw-transaction';
import { addToOutbox, type OutboxMessage } from './raw-flow-outbox';
import { causedBy } from './raw-flow-payment';
import { RAW_FLOW_AMQP, RAW_FLOW_TABLES as T } from './raw-flow-names';

const DELIVER = 'notification.deliver';
const COMPLETE = 'notification.complete-confirmation';
/** The order's confirmation goes out on every channel; the step after them is the callback. */
const CHANNELS = ['email', 'sms'];

const job = (type: string, payload: unknown, headers: Record<string, string>): OutboxMessage => ({
  exchange: '',
  routingKey: RAW_FLOW_AMQP.deliveries,
  type,
  payload,
  headers,
});

async function insertNotifications(
  transaction: RawTransaction,
  orderId: string,
  kind: string,
  channels: string[],
) {
  const ids = channels.map(() => randomUUID());
  const tuples = channels.map((_, i) => `($${i * 2 + 2}, $1, $${i * 2 + 3}, '${kind}', 'PENDING')`);
  const { rows } = await transaction.query<{ id: string }>(
    `insert into ${T.notifications} (id, order_id, channel, kind, status) values ${tuples.join(', ')} ` +
      `on conflict do nothing returning id`,
    [orderId, ...channels.flatMap((channel, i) => [ids[i], channel])],
  );
  return rows.length === channels.length ? ids : undefined;
}

/**
 * The confirmation (order-received on every channel) as a chord: the notifications, the
 * workflow (stage 0 of 2, two remaining) and its three steps (two deliveries RUNNING with their
 * job ids, the callback WAITING), the two delivery jobs and the confirmation row.
 */
async function sendConfirmation(
  transaction: RawTransaction,
  orderId: string,
  message: ConsumeMessage,
) {
  const ids = await insertNotifications(transaction, orderId, 'order-received', CHANNELS);
  if (!ids) return;
  const workflowId = randomUUID();
  const headers = (step: number) => ({
    ...causedBy(message),
    'x-workflow-id': workflowId,
    'x-workflow-step': String(step),
  });
  const jobs = ids.map((notificationId, step) => job(DELIVER, { notificationId }, headers(step)));
  const jobIds = addToOutbox(transaction, T.notificationOutbox, jobs);
  await transaction.query(
    `insert into ${T.workflows} (id, status, stage, stages, remaining) values ($1, 'RUNNING', 0, 2, $2)`,
    [workflowId, ids.length],
  );
  const steps = ids.map(
    (_, step) =>
      `($1, ${step}, 0, true, '${DELIVER}', '${RAW_FLOW_AMQP.deliveries}', $${step * 2 + 2}, 'RUNNING', $${step * 2 + 3})`,
  );
  const callback = `($1, ${ids.length}, 1, false, '${COMPLETE}', '${RAW_FLOW_AMQP.deliveries}', $${ids.length * 2 + 2}, 'WAITING', null)`;
  await transaction.query(
    `insert into ${T.workflowSteps} (workflow_id, step, stage, grouped, type, queue, payload, status, message_id) ` +
      `values ${[...steps, callback].join(', ')}`,
    [
      workflowId,
      ...ids.flatMap((id, i) => [JSON.stringify({ notificationId: id }), jobIds[i]]),
      JSON.stringify({ orderId }),
    ],
  );
  await transaction.query(
    `insert into ${T.confirmations} (order_id, workflow_id) values ($1, $2)`,
    [orderId, workflowId],
  );
}

/** notification on `order.created` (the confirmation) and `order.paid` (one email). */
export async function recordNotification(
  transaction: RawTransaction,
  message: ConsumeMessage,
): Promise<void> {
  const type = String(message.properties.type);
  const handler = `${RAW_FLOW_AMQP.orderEvents}#${type}`;
  if (!(await recordInInbox(transaction, T.notificationInbox, handler, message))) return;
  const { orderId } = JSON.parse(message.content.toString()) as { orderId: string };
  if (type === 'order.created') return sendConfirmation(transaction, orderId, message);
  if (type !== 'order.paid') throw new Error(`unexpected ${type}`);
  const ids = await insertNotifications(transaction, orderId, 'order-paid', ['email']);
  if (!ids) return;
  addToOutbox(transaction, T.notificationOutbox, [
    job(DELIVER, { notificationId: ids[0] }, causedBy(message)),
  ]);
}

/**
 * One step of a workflow done: the step SUCCEEDED with its result and the workflow's count
 * down, under the workflow row's lock; the last of the group moves to the callback stage,
 * starting its job. Returns true when the group is done.
 */
async function stepDone(
  transaction: RawTransaction,
  workflowId: string,
  step: number,
  result: unknown,
) {
  await transaction.query(
    `update ${T.workflowSteps} set status = 'SUCCEEDED', result = $3, updated_at = now() ` +
      `where workflow_id = $1 and step = $2 and status <> 'SUCCEEDED'`,
    [workflowId, step, JSON.stringify(result)],
  );
  const { rows } = await transaction.query<{ remaining: number }>(
    `update ${T.workflows} set remaining = remaining - 1 where id = $1 returning remaining`,
    [workflowId],
  );
  return rows[0]?.remaining === 0;
}

async function startCallback(
  transaction: RawTransaction,
  workflowId: string,
  message: ConsumeMessage,
) {
  const { rows } = await transaction.query<{ step: number; payload: unknown }>(
    `update ${T.workflows} set stage = 1, remaining = 1 where id = $1 returning ` +
      `(select step from ${T.workflowSteps} where workflow_id = $1 and stage = 1) as step, ` +
      `(select payload from ${T.workflowSteps} where workflow_id = $1 and stage = 1) as payload`,
    [workflowId],
  );
  const headers = {
    ...causedBy(message),
    'x-workflow-id': workflowId,
    'x-workflow-step': String(rows[0].step),
  };
  const [jobId] = addToOutbox(transaction, T.notificationOutbox, [
    job(COMPLETE, rows[0].payload, headers),
  ]);
  await transaction.query(
    `update ${T.workflowSteps} set status = 'RUNNING', message_id = $3, updated_at = now() where workflow_id = $1 and step = $2`,
    [workflowId, rows[0].step, jobId],
  );
}

/** A delivery job: the notification DELIVERED (the fake sender sends nothing), its chord step. */
async function deliver(transaction: RawTransaction, message: ConsumeMessage): Promise<void> {
  const { notificationId } = JSON.parse(message.content.toString()) as { notificationId: string };
  const { rows } = await transaction.query<{ channel: string }>(
    `update ${T.notifications} set status = 'DELIVERED', attempts = attempts + 1, delivered_at = now() ` +
      `where id = $1 and status <> 'DELIVERED' returning channel`,
    [notificationId],
  );
  const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
  const workflowId = headers['x-workflow-id'];
  if (rows.length === 0 || typeof workflowId !== 'string') return;
  const result = { notificationId, channel: rows[0].channel };
  if (await stepDone(transaction, workflowId, Number(headers['x-workflow-step']), result)) {
    await startCallback(transaction, workflowId, message);
  }
}

/** The chord callback: the confirmation complete, its step SUCCEEDED, the workflow finished. */
async function complete(transaction: RawTransaction, message: ConsumeMessage): Promise<void> {
  const { orderId } = JSON.parse(message.content.toString()) as { orderId: string };
  const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
  const workflowId = String(headers['x-workflow-id']);
  await transaction.query(
    `update ${T.confirmations} set completed_at = now() where order_id = $1 and completed_at is null`,
    [orderId],
  );
  await stepDone(transaction, workflowId, Number(headers['x-workflow-step']), null);
  await transaction.query(
    `update ${T.workflows} set status = 'SUCCEEDED', finished_at = now() where id = $1 and remaining = 0`,
    [workflowId],
  );
}

/** notification's work queue: delivery jobs and the confirmation's callback. */
export async function runJob(transaction: RawTransaction, message: ConsumeMessage): Promise<void> {
  const type = String(message.properties.type);
  const handler = `${RAW_FLOW_AMQP.deliveries}#${type}`;
  if (!(await recordInInbox(transaction, T.notificationInbox, handler, message))) return;
  if (type === DELIVER) return deliver(transaction, message);
  if (type === COMPLETE) return complete(transaction, message);
  throw new Error(`unexpected ${type}`);
}
