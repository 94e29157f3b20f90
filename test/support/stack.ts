import { notificationKindsFor, OrderCreated, OrderPaid } from '@app/contracts';
import { type ServiceName, SERVICE_NAMES, startWaves } from '@app/services';
import {
  AmqpTestClient,
  isolate,
  type Isolation,
  PgBouncer,
  ServiceProcess,
  waitFor,
} from '@app/testing';
import { Client } from 'pg';
import request from 'supertest';
import { errorMessage } from '@app/platform';

export interface StackOptions {
  /** Extra environment for every service. */
  env?: Record<string, string>;
  paymentReplicas?: number;
  /** Leave these services out at the start; `launch` starts them later. */
  without?: ServiceName[];
  /**
   * `pooled`: the services reach PostgreSQL through a PgBouncer in transaction pooling, with
   * DATABASE_DIRECT_URL for what needs a session, as in production. `direct` by default.
   */
  database?: DatabaseRoute;
}

/** The notifications a paid order gets, one per event of its life that notifies: counted, not restated. */
export const PAID_ORDER_NOTIFICATIONS = notificationKindsFor([OrderCreated, OrderPaid]);
/** What an order.created alone (an order placed by another client) notifies. */
export const CREATED_ORDER_NOTIFICATIONS = notificationKindsFor([OrderCreated]);

export type DatabaseRoute = 'direct' | 'pooled';
/** The flow and the database faults run both ways: straight to PostgreSQL and through PgBouncer. */
export const DATABASE_ROUTES: DatabaseRoute[] = ['direct', 'pooled'];

export interface OrderBody {
  customerId: string;
  currency: string;
  items: { sku: string; quantity: number; unitPrice: number }[];
}

/**
 * The registered services as real processes from dist/, on a virtual host and database of their
 * own. Each starts after the services its definition names, as in docker-compose, so their queues
 * exist before the first event.
 */
export class Stack {
  /** Every process started, the stopped and killed ones included: their logs matter too. */
  readonly started: ServiceProcess[] = [];

  private constructor(
    readonly isolation: Isolation,
    readonly env: Record<string, string>,
    private readonly pooler?: PgBouncer,
  ) {}

  static async start(label: string, options: StackOptions = {}): Promise<Stack> {
    const isolation = await isolate(label);
    const pooler = await Stack.pooler(isolation, options.database);
    const database: Record<string, string> = pooler
      ? {
          DATABASE_URL: pooler.pooled(isolation.env.DATABASE_URL),
          DATABASE_DIRECT_URL: isolation.env.DATABASE_URL,
        }
      : {};
    const stack = new Stack(
      isolation,
      { ...isolation.env, ...database, RETRY_DELAYS_MS: '200,400', ...options.env },
      pooler,
    );
    const wanted = SERVICE_NAMES.filter((name) => !(options.without ?? []).includes(name));
    const replicas = (name: ServiceName) =>
      name === 'payment' ? (options.paymentReplicas ?? 1) : 1;
    const launchAll = (names: ServiceName[]) =>
      Promise.all(
        names.flatMap((name) => Array.from({ length: replicas(name) }, () => stack.launch(name))),
      );
    try {
      // Every registered service, each after those whose queues it needs (startsAfter).
      for (const wave of startWaves(wanted)) await launchAll(wave);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  private static async pooler(
    isolation: Isolation,
    route: DatabaseRoute = 'direct',
  ): Promise<PgBouncer | undefined> {
    if (route === 'direct') return undefined;
    try {
      return await PgBouncer.start(isolation.env.DATABASE_URL);
    } catch (error) {
      await isolation.dispose();
      throw error;
    }
  }

  /** Starts one more process of `name`, with the stack's environment plus `env`, and waits until it is ready. */
  async launch(name: ServiceName, env: Record<string, string> = {}): Promise<ServiceProcess> {
    const service = await ServiceProcess.start(name, { ...this.env, ...env });
    this.started.push(service);
    return service.ready();
  }

  /** The running processes. */
  get services(): ServiceProcess[] {
    return this.started.filter((service) => service.running);
  }

  get order(): ServiceProcess {
    return this.newest('order');
  }

  get notification(): ServiceProcess {
    return this.newest('notification');
  }

  get payments(): ServiceProcess[] {
    return this.services.filter((service) => service.name === 'payment');
  }

  private newest(name: ServiceName): ServiceProcess {
    const found = this.services.filter((service) => service.name === name).at(-1);
    if (!found) throw new Error(`No ${name} process is running`);
    return found;
  }

  orderApi() {
    return request(this.order.url);
  }

  async placeOrder(body: OrderBody, headers: Record<string, string> = {}) {
    const response = await this.orderApi().post('/orders').set(headers).send(body);
    expect(response.status).toBe(202);
    return response;
  }

  /** Polls GET /orders/:id until the order has left PENDING. */
  async settledOrder(id: string, timeoutMs = 15_000) {
    return this.explained(
      waitFor(
        async () => {
          const response = await this.orderApi().get(`/orders/${id}`);
          return response.status === 200 && response.body.status !== 'PENDING'
            ? response
            : undefined;
        },
        { description: `order ${id} to be settled`, timeoutMs },
      ),
    );
  }

  /** Polls GET /notifications until `count` notifications of the order are DELIVERED. */
  async deliveredNotifications(orderId: string, count: number) {
    return this.explained(
      waitFor(
        async () => {
          const response = await request(this.notification.url).get(
            `/notifications?orderId=${orderId}`,
          );
          const delivered = (response.body as { status: string }[]).filter(
            (n) => n.status === 'DELIVERED',
          );
          return delivered.length >= count
            ? (response.body as Record<string, unknown>[])
            : undefined;
        },
        {
          description: `${count} notification(s) of order ${orderId} delivered`,
          timeoutMs: 15_000,
        },
      ),
    );
  }

  /** Adds the services' latest log lines to a failure, which is where the reason usually is. */
  async explained<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      const recent = this.logs().split('\n').slice(-40).join('\n');
      throw new Error(`${errorMessage(error)}\n--- recent logs ---\n${recent}`, { cause: error });
    }
  }

  /** The rows a query finds in the stack's database, asked directly (past any pooler). */
  async query<Row>(text: string, values: unknown[] = []): Promise<Row[]> {
    const client = new Client({ connectionString: this.isolation.env.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as Row[];
    } finally {
      await client.end();
    }
  }

  amqpClient(): Promise<AmqpTestClient> {
    return AmqpTestClient.connect(this.isolation.env.RABBITMQ_URL);
  }

  /** Stops every service with SIGTERM, then the pooler, then removes the virtual host and database. */
  async stop(): Promise<void> {
    await Promise.all(this.services.map((service) => service.stop()));
    await this.pooler?.stop();
    await this.isolation.dispose();
  }

  /** Every log line of every service, prefixed with its name: printed when a test fails. */
  logs(): string {
    return this.started
      .flatMap((service) => service.logs.map((line) => `[${service.name}] ${line}`))
      .join('\n');
  }
}

export const anOrder = (unitPrice = 1250): OrderBody => ({
  customerId: 'customer-42',
  currency: 'EUR',
  items: [
    { sku: 'book', quantity: 2, unitPrice },
    { sku: 'pen', quantity: 1, unitPrice: 300 },
  ],
});
