import { waitFor } from '@app/testing';
import { Client } from 'pg';
import { PAID_ORDER_NOTIFICATIONS, type Stack } from '../../support/stack';

export interface OrderHistory {
  orderId: string;
  status: string;
  payments: number;
  notifications: Record<string, { count: number; delivered: number }>;
}

/** Reads, straight from the services' schemas, what happened to each order. */
export async function orderHistories(
  databaseUrl: string,
  orderIds: string[],
): Promise<OrderHistory[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const orders = await client.query<{ id: string; status: string }>(
      'select id, status from orders.orders where id = any($1)',
      [orderIds],
    );
    const payments = await client.query<{ order_id: string; count: string }>(
      'select order_id, count(*) from payments.payments where order_id = any($1) group by order_id',
      [orderIds],
    );
    const notifications = await client.query<{
      order_id: string;
      kind: string;
      count: string;
      delivered: string;
    }>(
      `select order_id, kind, count(*), count(*) filter (where status = 'DELIVERED') as delivered
       from notifications.notifications where order_id = any($1) group by order_id, kind`,
      [orderIds],
    );
    return orderIds.map((orderId) => ({
      orderId,
      status: orders.rows.find((row) => row.id === orderId)?.status ?? 'MISSING',
      payments: Number(payments.rows.find((row) => row.order_id === orderId)?.count ?? 0),
      notifications: Object.fromEntries(
        notifications.rows
          .filter((row) => row.order_id === orderId)
          .map((row) => [row.kind, { count: Number(row.count), delivered: Number(row.delivered) }]),
      ),
    }));
  } finally {
    await client.end();
  }
}

/** Notifications by kind (one per channel it goes out on), each delivered once. */
function notificationCounts(kinds: readonly string[]): OrderHistory['notifications'] {
  const counts: OrderHistory['notifications'] = {};
  for (const kind of kinds) {
    const count = (counts[kind]?.count ?? 0) + 1;
    counts[kind] = { count, delivered: count };
  }
  return counts;
}

/**
 * What a service logs when its own unique row stops a second effect: a copy of a message got
 * past the inbox, which should have recognised it by its messageId. The rows hold even then, so
 * counting them alone would not see the inbox fail.
 */
const SECOND_EFFECT_STOPPED =
  /already has a payment; not recording another$|already has an? \S+ notification$|already has its confirmation$|was already complete$/;

/**
 * The history check of the fault suite: every committed order was paid exactly once and
 * announced exactly once per step, nothing lost and nothing doubled, and no copy of a message
 * reached a handler's body twice (in any process of the stack, the killed ones included).
 */
export function expectEachPaidExactlyOnce(stack: Stack, histories: OrderHistory[]): void {
  const pastTheInbox = stack.started.flatMap((service) =>
    service
      .jsonLogs()
      .map((line) => `[${service.name}] ${String(line.msg)}`)
      .filter((line) => SECOND_EFFECT_STOPPED.test(line)),
  );
  expect(pastTheInbox).toEqual([]);
  for (const history of histories) {
    expect(history).toEqual({
      orderId: history.orderId,
      status: 'PAID',
      payments: 1,
      notifications: notificationCounts(PAID_ORDER_NOTIFICATIONS),
    });
  }
}

/** True once every order has left PENDING and its notifications are delivered. */
export function allSettled(histories: OrderHistory[]): boolean {
  return histories.every(
    (history) =>
      history.status !== 'PENDING' &&
      Object.keys(history.notifications).length === new Set(PAID_ORDER_NOTIFICATIONS).size &&
      Object.values(history.notifications).every((n) => n.delivered === n.count),
  );
}

/**
 * Waits until every order has left PENDING and its notifications are delivered, then checks the
 * history of each: paid exactly once, announced exactly once per step.
 */
export async function expectEachSettledPaidOnce(
  stack: Stack,
  orderIds: string[],
  wait: { description: string; timeoutMs: number; intervalMs?: number },
): Promise<void> {
  const histories = () => orderHistories(stack.env.DATABASE_URL, orderIds);
  await stack.explained(waitFor(async () => allSettled(await histories()), wait));
  expectEachPaidExactlyOnce(stack, await histories());
}

export async function query<T extends object>(
  databaseUrl: string,
  text: string,
  values: unknown[] = [],
) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
