import { defineMessage, DeliverNotification, OrderCancelled } from '@app/contracts';
import { CorrelationContext } from '@app/correlation';
import {
  type BaseConfig,
  type DatabaseTransactionHost,
  runCommitHooks,
  trackCommitHooks,
} from '@app/platform';
import type { ConfigService } from '@nestjs/config';
import type { SQLWrapper } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { PgDialect, pgSchema } from 'drizzle-orm/pg-core';
import { CLS_ID, ClsService } from 'nestjs-cls';
import { AsyncLocalStorage } from 'node:async_hooks';
import { z, ZodError } from 'zod';
import { outboxTable } from './outbox.table';
import type { OutboxRelay } from './outbox.relay';
import { OutboxWriter, outboxMessage } from './outbox.writer';

const ORDER_ID = '0b6c7a8e-3f1d-4c2b-9a5e-6d7f8a9b0c1d';
const table = outboxTable(pgSchema('orders'));

function setup(transactionActive = true) {
  const db = drizzle.mock();
  const execute = jest.fn((_query: SQLWrapper) => Promise.resolve({ rows: [] }));
  const insert = jest.fn((outbox: typeof table) => db.insert(outbox));
  const tx = { insert, execute };
  const commitHooks = trackCommitHooks(tx);
  const txHost = {
    isTransactionActive: () => transactionActive,
    tx,
  } as unknown as DatabaseTransactionHost;
  const relay = { kick: jest.fn() };
  const cls = new ClsService(new AsyncLocalStorage());
  const correlation = new CorrelationContext(cls);
  const config = { get: () => 256 * 1024 } as unknown as ConfigService<BaseConfig, true>;
  const writer = new OutboxWriter(
    txHost,
    correlation,
    { table, schema: 'orders' },
    config,
    relay as unknown as OutboxRelay,
  );
  const inContext = <T>(work: () => Promise<T>) =>
    correlation.run({ correlationId: 'corr-1', causationId: 'msg-9' }, work);
  /** The statement sent to PostgreSQL, and the outbox row it inserts. */
  const statement = () => {
    expect(execute).toHaveBeenCalledTimes(1);
    const { sql, params } = sent(execute.mock.calls[0][0]);
    const [id, exchange, routingKey, type, payload, headers] = params as string[];
    const row = { id, exchange, routingKey, type, payload: JSON.parse(payload) as unknown };
    return { sql, params, row: { ...row, headers: JSON.parse(headers) as unknown } };
  };
  const commit = () => runCommitHooks(commitHooks);
  return { writer, cls, execute, inContext, statement, relay, commit };
}

const sent = (query: SQLWrapper) => new PgDialect().sqlToQuery(query.getSQL());

const cancelled = { orderId: ORDER_ID, reason: 'payment failed' };

describe('OutboxWriter', () => {
  it('records an event for the events exchange in one statement, and wakes the relay once committed', async () => {
    const { writer, inContext, statement, relay, commit } = setup();
    const id = await inContext(() => writer.add(OrderCancelled, cancelled));
    const { sql, row } = statement();
    expect(sql).toMatch(/^insert into "orders"\."outbox" /);
    expect(sql).not.toMatch(/notify/);
    expect(relay.kick).not.toHaveBeenCalled();
    commit();
    expect(relay.kick).toHaveBeenCalled();
    expect(row).toEqual({
      id,
      exchange: 'events',
      routingKey: 'order.cancelled',
      type: 'order.cancelled',
      payload: cancelled,
      headers: { 'x-correlation-id': 'corr-1', 'x-causation-id': 'msg-9' },
    });
  });

  it('writes several messages in one statement, under the ids it is given or new ones', async () => {
    const { writer, inContext, statement } = setup();
    const named = '7d2f3c4b-5a6e-4f10-8b9c-0d1e2f3a4b5c';
    const ids = await inContext(() =>
      writer.addAll([
        outboxMessage(OrderCancelled, cancelled, { messageId: named, delayMs: 1000 }),
        outboxMessage(OrderCancelled, { ...cancelled, reason: 'second' }),
      ]),
    );
    expect(ids[0]).toBe(named);
    expect(ids[1]).not.toBe(named);
    const { sql, params } = statement();
    expect(sql).toMatch(/values \(.*\), \(.*default.*\)$/);
    expect(params).toEqual(expect.arrayContaining(ids));
  });

  it('returns a new UUID messageId for each message', async () => {
    const { writer, inContext } = setup();
    const first = await inContext(() => writer.add(OrderCancelled, cancelled));
    const second = await inContext(() => writer.add(OrderCancelled, cancelled));
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second).not.toBe(first);
  });

  it('sends a job to the route it is given', async () => {
    const { writer, inContext, statement } = setup();
    const job = { notificationId: ORDER_ID };
    const route = { exchange: '', routingKey: 'notification.deliver' };
    await inContext(() => writer.add(DeliverNotification, job, { route }));
    expect(statement().row).toMatchObject({
      exchange: '',
      routingKey: 'notification.deliver',
      type: 'notification.deliver',
    });
  });

  it('schedules a message for a moment, which becomes its first due time', async () => {
    const { writer, inContext, execute } = setup();
    const deliverAt = new Date('2030-01-02T03:04:05.000Z');
    await inContext(() => writer.add(OrderCancelled, cancelled, { deliverAt }));
    const { sql, params } = sent(execute.mock.calls[0][0]);
    expect(sql).toMatch(/"next_attempt_at", "deliver_at"/);
    expect(params.filter((param) => param === deliverAt.toISOString())).toHaveLength(2);
  });

  it("schedules a message after a delay by the database's clock", async () => {
    const { writer, inContext, execute } = setup();
    await inContext(() => writer.add(OrderCancelled, cancelled, { delayMs: 1500 }));
    const { sql, params } = sent(execute.mock.calls[0][0]);
    expect(sql).toMatch(/now\(\) \+ make_interval\(secs => \$\d+\)/);
    expect(params).toContain(1.5);
  });

  it('refuses a negative delay, or a delay with a moment', async () => {
    const { writer, inContext, execute } = setup();
    await expect(
      inContext(() => writer.add(OrderCancelled, cancelled, { delayMs: -1 })),
    ).rejects.toThrow(/Invalid delayMs/);
    await expect(
      inContext(() => writer.add(OrderCancelled, cancelled, { delayMs: 1, deliverAt: new Date() })),
    ).rejects.toThrow(/not both/);
    expect(execute).not.toHaveBeenCalled();
  });

  it('refuses to cancel outside a transaction', async () => {
    const { writer } = setup(false);
    await expect(writer.cancel(ORDER_ID)).rejects.toThrow(
      'OutboxWriter.cancel needs an open transaction',
    );
  });

  it('refuses to write outside a transaction', async () => {
    const { writer, inContext, execute } = setup(false);
    await expect(inContext(() => writer.add(OrderCancelled, cancelled))).rejects.toThrow(
      'OutboxWriter.add(order.cancelled) needs an open transaction',
    );
    expect(execute).not.toHaveBeenCalled();
  });

  it('refuses a payload breaking the contract before any SQL runs', async () => {
    const { writer, inContext, execute } = setup();
    const invalid = { orderId: 'not-a-uuid', reason: '' };
    await expect(inContext(() => writer.add(OrderCancelled, invalid))).rejects.toThrow(ZodError);
    expect(execute).not.toHaveBeenCalled();
  });

  it('refuses a payload above MAX_MESSAGE_BYTES before any SQL runs, so the write fails with it', async () => {
    const { writer, inContext, execute } = setup();
    const Blob = defineMessage('test.blob', z.object({ blob: z.string() }));
    const huge = { blob: 'x'.repeat(300 * 1024) };
    await expect(inContext(() => writer.add(Blob, huge))).rejects.toThrow(
      /above the 262144-byte limit \(MAX_MESSAGE_BYTES\)/,
    );
    expect(execute).not.toHaveBeenCalled();
  });

  it('stores the payload as the contract reads it, without unknown fields', async () => {
    const { writer, inContext, statement } = setup();
    const withExtra = { ...cancelled, internalNote: 'customer is angry' };
    await inContext(() => writer.add(OrderCancelled, withExtra));
    expect(statement().row.payload).toEqual(cancelled);
  });

  it("names the request's correlation id as cause when the context sets no cause", async () => {
    const { writer, cls, statement } = setup();
    await cls.run(() => {
      cls.set(CLS_ID, 'req-5');
      return writer.add(OrderCancelled, cancelled);
    });
    expect(statement().row.headers).toEqual({
      'x-correlation-id': 'req-5',
      'x-causation-id': 'req-5',
    });
  });

  it('adds headers of its own, under the correlation headers', async () => {
    const { writer, inContext, statement } = setup();
    const headers = { 'x-workflow-id': 'w-1', 'x-correlation-id': 'forged' };
    await inContext(() => writer.add(OrderCancelled, cancelled, { headers }));
    expect(statement().row.headers).toEqual({
      'x-workflow-id': 'w-1',
      'x-correlation-id': 'corr-1',
      'x-causation-id': 'msg-9',
    });
  });

  it('refuses to write a message outside a correlation context', async () => {
    const { writer, execute } = setup();
    await expect(writer.add(OrderCancelled, cancelled)).rejects.toThrow(/No correlation context/);
    expect(execute).not.toHaveBeenCalled();
  });
});
