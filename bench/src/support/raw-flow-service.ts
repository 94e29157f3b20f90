import type { ConfirmChannel } from 'amqplib';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { connectRaw } from './raw-amqp';
import { type RawEffect, startRawConsumer } from './raw-consumer';
import { recordNotification, runJob } from './raw-flow-notification';
import { postOrder, settleOrder } from './raw-flow-order';
import { RelayRunner } from './raw-flow-outbox';
import { chargeOrder } from './raw-flow-payment';
import { RAW_FLOW_AMQP, RAW_FLOW_TABLES, type RawFlowRole } from './raw-flow-names';
import type { RawFlowEnv } from '../raw-flow.config';

interface RoleSpec {
  outbox: string;
  /** Queues with their prefetch (the starter's) and handler. */
  consumes: [string, number, RawEffect][];
}

const ROLES: Record<RawFlowRole, RoleSpec> = {
  order: {
    outbox: RAW_FLOW_TABLES.orderOutbox,
    consumes: [[RAW_FLOW_AMQP.paymentResults, 10, settleOrder]],
  },
  payment: {
    outbox: RAW_FLOW_TABLES.paymentOutbox,
    consumes: [[RAW_FLOW_AMQP.orderCreated, 10, chargeOrder]],
  },
  notification: {
    outbox: RAW_FLOW_TABLES.notificationOutbox,
    consumes: [
      [RAW_FLOW_AMQP.orderEvents, 10, recordNotification],
      [RAW_FLOW_AMQP.deliveries, 5, runJob],
    ],
  },
};

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

function serve(port: number, orders?: Handler) {
  const server = createServer((request, response) => {
    if (request.url === '/health/ready') return void response.writeHead(200).end('ok');
    if (orders && request.method === 'POST' && request.url === '/orders') {
      return void orders(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      });
    }
    response.writeHead(404).end();
  });
  return new Promise<typeof server>((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve(server)),
  );
}

/**
 * One process of the raw order flow (plain node:http, pg and amqplib): a pg pool sized like a
 * service's, one AMQP connection with a consuming channel and a confirm channel for the relay,
 * the role's consumers and, for order, POST /orders. Stops on SIGTERM: consumers cancelled,
 * messages in flight finished, relay stopped, connections closed.
 */
export async function runRawFlowService(role: RawFlowRole, env: RawFlowEnv): Promise<void> {
  const spec = ROLES[role];
  // The raw baselines' application name: the bench waits for these backends to be gone.
  const pool = new Pool({
    connectionString: env.DATABASE_URL,
    max: env.poolSize,
    idleTimeoutMillis: env.poolIdleTimeoutMs,
    application_name: 'bench-raw',
  });
  pool.on('error', () => undefined);
  const connection = await connectRaw(env.RABBITMQ_URL, `bench-raw-flow-${role}`);
  const consuming = await connection.createChannel();
  const confirming: ConfirmChannel = await connection.createConfirmChannel();
  const relay = new RelayRunner(pool, confirming, spec.outbox);
  const committed = () => relay.wake();
  const cancels: (() => Promise<void>)[] = [];
  for (const [queue, prefetch, effect] of spec.consumes) {
    cancels.push(await startRawConsumer(consuming, pool, { queue, prefetch, effect, committed }));
  }
  const orders: Handler | undefined =
    role === 'order'
      ? (request, response) => postOrder(pool, request, response, committed)
      : undefined;
  const server = await serve(Number(env.PORT), orders);
  relay.wake();
  process.once('SIGTERM', () => {
    server.close();
    void Promise.all(cancels.map((cancel) => cancel()))
      .then(() => relay.stop())
      .then(() => connection.close())
      .then(() => pool.end())
      .finally(() => process.exit(0));
  });
}
