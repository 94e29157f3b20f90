import { notificationKindsFor, OrderCreated, OrderPaid } from '@app/contracts';
import { waitFor } from '@app/testing';
import { Pool } from 'pg';
import { sleep } from '../core/log';

/** A paid order's notifications: one per event that notifies and channel it goes out on. */
const NOTIFICATIONS_PER_ORDER = notificationKindsFor([OrderCreated, OrderPaid]).length;

export interface FlowStats {
  orders: number;
  /** Last notification delivered − first order created, on the database clock. */
  windowSeconds: number;
  /** Per PAID order: updated_at (the settling transaction) − created_at. */
  toPaidMs: number[];
  /** Per PAID order: its order-paid notification's delivered_at − the order's created_at. */
  toNotifiedMs: number[];
  /** The first hop: the payment's transaction start − the order's (order → relay → payment). */
  toPaymentMs: number[];
  /** The second hop: the settling transaction's start − the payment's (payment → relay → order). */
  paymentToPaidMs: number[];
}

/**
 * Reads the services' own schemas (orders, payments, notifications) in the end-to-end database:
 * whether every order of a load has gone all the way, and how long it took. Each load places
 * its orders under a customer id of its own.
 */
/** The tables a flow keeps its orders, payments and notifications in. */
export interface FlowTables {
  orders: string;
  payments: string;
  notifications: string;
}

export const SERVICE_TABLES: FlowTables = {
  orders: 'orders.orders',
  payments: 'payments.payments',
  notifications: 'notifications.notifications',
};

export class OrderFlowDb {
  private readonly pool: Pool;

  constructor(
    connectionString: string,
    private readonly tables: FlowTables = SERVICE_TABLES,
  ) {
    this.pool = new Pool({ connectionString, max: 2, application_name: 'bench-observer' });
    this.pool.on('error', () => undefined);
  }

  /** Waits until every order of `customerId` is PAID with all its notifications DELIVERED. */
  async untilComplete(customerId: string, timeoutMs: number): Promise<void> {
    // Requests cut off when the load stopped may still commit for a moment.
    await sleep(500);
    await waitFor(
      async () => {
        const { orders, paid, delivered } = await this.progress(customerId);
        return orders > 0 && paid === orders && delivered === NOTIFICATIONS_PER_ORDER * orders;
      },
      { description: `every order of ${customerId} paid and notified`, timeoutMs, intervalMs: 250 },
    );
  }

  async progress(customerId: string): Promise<{ orders: number; paid: number; delivered: number }> {
    const { orders, notifications } = this.tables;
    const { rows } = await this.pool.query<{ orders: number; paid: number; delivered: number }>(
      `select (select count(*) from ${orders} where customer_id = $1)::int as orders,
              (select count(*) from ${orders} where customer_id = $1 and status = 'PAID')::int as paid,
              (select count(*) from ${notifications} n
                 join ${orders} o on o.id = n.order_id
                where o.customer_id = $1 and n.status = 'DELIVERED')::int as delivered`,
      [customerId],
    );
    return rows[0];
  }

  async flow(customerId: string): Promise<FlowStats> {
    const { orders, payments, notifications } = this.tables;
    const window = await this.pool.query<{ orders: number; seconds: number }>(
      `select count(distinct o.id)::int as orders,
              extract(epoch from max(n.delivered_at) - min(o.created_at))::float8 as seconds
       from ${orders} o join ${notifications} n on n.order_id = o.id
       where o.customer_id = $1`,
      [customerId],
    );
    const timings = await this.pool.query<
      Record<'paid' | 'notified' | 'payment' | 'settle', number>
    >(
      `select extract(epoch from o.updated_at - o.created_at)::float8 * 1000 as paid,
              extract(epoch from n.delivered_at - o.created_at)::float8 * 1000 as notified,
              extract(epoch from p.created_at - o.created_at)::float8 * 1000 as payment,
              extract(epoch from o.updated_at - p.created_at)::float8 * 1000 as settle
       from ${orders} o
       join ${payments} p on p.order_id = o.id
       join ${notifications} n on n.order_id = o.id and n.kind = 'order-paid'
       where o.customer_id = $1 and o.status = 'PAID'`,
      [customerId],
    );
    const column = (name: 'paid' | 'notified' | 'payment' | 'settle') =>
      timings.rows.map((r) => r[name]);
    return {
      orders: window.rows[0].orders,
      windowSeconds: window.rows[0].seconds,
      toPaidMs: column('paid'),
      toNotifiedMs: column('notified'),
      toPaymentMs: column('payment'),
      paymentToPaidMs: column('settle'),
    };
  }

  /** Transactions committed in this database so far (every service, every kind). */
  async commits(): Promise<number> {
    const { rows } = await this.pool.query<{ commits: string }>(
      `select xact_commit::text as commits from pg_stat_database where datname = current_database()`,
    );
    return Number(rows[0].commits);
  }

  /** This database's backends and PostgreSQL's background processes (a local server's pids). */
  async serverPids(): Promise<number[]> {
    const { rows } = await this.pool.query<{ pid: number }>(
      `select pid from pg_stat_activity
       where datname = current_database() or backend_type <> 'client backend'`,
    );
    return rows.map((row) => row.pid);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
