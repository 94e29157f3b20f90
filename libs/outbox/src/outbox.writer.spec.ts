import { defineMessage, DeliverNotification, OrderCancelled } from '@app/contracts';
import { CorrelationContext } from '@app/correlation';
import { InvalidPublishPropertiesError } from '@app/messaging';
import {
  type BaseConfig,
  type DatabaseTransactionHost,
  runCommitHooks,
  trackHooks,
  TransactionStatements,
} from '@app/platform';
import type { ConfigService } from '@nestjs/config';
import { drizzle } from 'drizzle-orm/node-postgres';
import { pgSchema } from 'drizzle-orm/pg-core';
import type { Pool, QueryConfig } from 'pg';
import { CLS_ID, ClsService } from 'nestjs-cls';
import { AsyncLocalStorage } from 'node:async_hooks';
import { z, ZodError } from 'zod';
import { outboxTable } from './outbox.table';
import type { OutboxRelay } from './outbox.relay';
import { OutboxWriter, outboxMessage } from './outbox.writer';

const ORDER_ID = '0b6c7a8e-3f1d-4c2b-9a5e-6d7f8a9b0c1d';
const table = outboxTable(pgSchema('orders'));

/** A statement the writer sent on the transaction's connection. */
interface Sent {
  text: string;
  values: unknown[];
}

function setup(transactionActive = true) {
  // The transaction's connection; a cancel finds the rows in `unsent`.
  const unsent = new Set<string>();
  const query = jest.fn((config: QueryConfig, values: unknown[] = []) => {
    const rows = config.text.startsWith('delete')
      ? values.filter((id) => unsent.has(id as string))
      : [];
    return Promise.resolve({ rows: rows.map((id) => [id]), rowCount: rows.length });
  });
  const tx = drizzle({ query } as unknown as Pool);
  const hooks = trackHooks(tx);
  const txHost = {
    isTransactionActive: () => transactionActive,
    tx,
  } as unknown as DatabaseTransactionHost;
  const statements = new TransactionStatements(txHost);
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
    statements,
  );
  const inContext = <T>(work: () => Promise<T>) =>
    correlation.run({ correlationId: 'corr-1', causationId: 'msg-9' }, work);
  const sent = (): Sent[] =>
    query.mock.calls.map(([config, values = []]) => ({ ...config, values }));
  /** The one statement sent to PostgreSQL, and the outbox rows it inserts. */
  const statement = () => {
    expect(query).toHaveBeenCalledTimes(1);
    const [{ text, values }] = sent();
    const rows = JSON.parse(values[0] as string) as Record<string, unknown>[];
    return { text, values, rows, row: rows[0] };
  };
  const commit = () => runCommitHooks(hooks);
  return { writer, cls, query, sent, unsent, inContext, statement, relay, commit };
}

const cancelled = { orderId: ORDER_ID, reason: 'payment failed' };

describe('OutboxWriter', () => {
  it('records an event for the events exchange in one statement, and wakes the relay once committed', async () => {
    const { writer, inContext, statement, relay, commit } = setup();
    const id = await inContext(() => writer.add(OrderCancelled, cancelled));
    const { text, row } = statement();
    expect(text).toMatch(/^insert into "orders"\."outbox" /);
    expect(text).not.toMatch(/notify/);
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
    const { values, rows } = statement();
    // One parameter, its JSON text, so a transaction opening with it still sends it with BEGIN.
    expect(values).toEqual([expect.any(String)]);
    expect(rows.map((row) => [row.id, row.payload, row.delaySeconds])).toEqual([
      [named, cancelled, 1],
      [ids[1], { ...cancelled, reason: 'second' }, undefined],
    ]);
  });

  it('sends the same statement text for any number of messages: it is built once', async () => {
    const { writer, inContext, sent } = setup();
    await inContext(() => writer.add(OrderCancelled, cancelled));
    await inContext(() =>
      writer.addAll([
        outboxMessage(OrderCancelled, cancelled, { delayMs: 5 }),
        outboxMessage(OrderCancelled, cancelled, { deliverAt: new Date() }),
        outboxMessage(OrderCancelled, cancelled),
      ]),
    );
    const [one, three] = sent();
    expect(three.text).toBe(one.text);
    expect(JSON.parse(three.values[0] as string)).toHaveLength(3);
  });

  it('writes nothing for no messages', async () => {
    const { writer, inContext, query, relay, commit } = setup();
    await expect(inContext(() => writer.addAll([]))).resolves.toEqual([]);
    commit();
    expect(query).not.toHaveBeenCalled();
    expect(relay.kick).not.toHaveBeenCalled();
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

  it('schedules a message for a moment, to the millisecond', async () => {
    const { writer, inContext, statement } = setup();
    const deliverAt = new Date('2030-01-02T03:04:05.678Z');
    await inContext(() => writer.add(OrderCancelled, cancelled, { deliverAt }));
    const { row } = statement();
    expect(row.deliverAt).toBe('2030-01-02T03:04:05.678Z');
    expect(row).not.toHaveProperty('delaySeconds');
  });

  it("schedules a message after a delay by the database's clock", async () => {
    const { writer, inContext, statement } = setup();
    await inContext(() => writer.add(OrderCancelled, cancelled, { delayMs: 1500 }));
    const { text, row } = statement();
    expect(text).toMatch(/now\(\) \+ make_interval\(secs => /);
    expect(row.delaySeconds).toBe(1.5);
    expect(row).not.toHaveProperty('deliverAt');
  });

  it('refuses a negative delay, or a delay with a moment', async () => {
    const { writer, inContext, query } = setup();
    await expect(
      inContext(() => writer.add(OrderCancelled, cancelled, { delayMs: -1 })),
    ).rejects.toThrow(/Invalid delayMs/);
    await expect(
      inContext(() => writer.add(OrderCancelled, cancelled, { delayMs: 1, deliverAt: new Date() })),
    ).rejects.toThrow(/not both/);
    expect(query).not.toHaveBeenCalled();
  });

  it('cancels an unsent message by its id, with a statement built once', async () => {
    const { writer, sent, unsent } = setup();
    unsent.add(ORDER_ID);
    await expect(writer.cancel(ORDER_ID)).resolves.toBe(true);
    unsent.delete(ORDER_ID);
    await expect(writer.cancel(ORDER_ID)).resolves.toBe(false);
    const [first, second] = sent();
    expect(first.text).toMatch(/^delete from "orders"\."outbox" where .*"sent_at" is null/);
    expect(second.text).toBe(first.text);
    expect([first.values, second.values]).toEqual([[ORDER_ID], [ORDER_ID]]);
  });

  it('discards an unsent message by its id with a delete written once, answering nothing', async () => {
    const { writer, sent } = setup();
    await expect(writer.discard(ORDER_ID)).resolves.toBeUndefined();
    await expect(writer.discard(ORDER_ID)).resolves.toBeUndefined();
    const [first, second] = sent();
    expect(first.text).toBe('delete from "orders"."outbox" where "id" = $1 and "sent_at" is null');
    expect(second.text).toBe(first.text);
    expect([first.values, second.values]).toEqual([[ORDER_ID], [ORDER_ID]]);
  });

  it('refuses to discard outside a transaction', async () => {
    const { writer, query } = setup(false);
    await expect(writer.discard(ORDER_ID)).rejects.toThrow(
      'OutboxWriter.discard needs an open transaction',
    );
    expect(query).not.toHaveBeenCalled();
  });

  it('refuses to cancel outside a transaction', async () => {
    const { writer } = setup(false);
    await expect(writer.cancel(ORDER_ID)).rejects.toThrow(
      'OutboxWriter.cancel needs an open transaction',
    );
  });

  it('refuses to write outside a transaction', async () => {
    const { writer, inContext, query } = setup(false);
    await expect(inContext(() => writer.add(OrderCancelled, cancelled))).rejects.toThrow(
      'OutboxWriter.add(order.cancelled) needs an open transaction',
    );
    expect(query).not.toHaveBeenCalled();
  });

  it('refuses a payload breaking the contract before any SQL runs', async () => {
    const { writer, inContext, query } = setup();
    const invalid = { orderId: 'not-a-uuid', reason: '' };
    await expect(inContext(() => writer.add(OrderCancelled, invalid))).rejects.toThrow(ZodError);
    expect(query).not.toHaveBeenCalled();
  });

  it('refuses a payload above MAX_MESSAGE_BYTES before any SQL runs, so the write fails with it', async () => {
    const { writer, inContext, query } = setup();
    const Blob = defineMessage('test.blob', z.object({ blob: z.string() }));
    const huge = { blob: 'x'.repeat(300 * 1024) };
    await expect(inContext(() => writer.add(Blob, huge))).rejects.toThrow(
      /above the 262144-byte limit \(MAX_MESSAGE_BYTES\)/,
    );
    expect(query).not.toHaveBeenCalled();
  });

  it.each([
    ['headers above 60 KiB', { headers: { 'x-note': 'x'.repeat(64 * 1024) } }],
    ['a header name above 255 bytes', { headers: { ['x'.repeat(256)]: 'v' } }],
    ['a routing key above 255 bytes', { route: { exchange: '', routingKey: 'q'.repeat(256) } }],
    ['a messageId above 255 bytes', { messageId: 'm'.repeat(256) }],
  ])(
    'refuses %s before any SQL runs: the broker would refuse every publish of the row',
    async (_, options) => {
      const { writer, inContext, query } = setup();
      await expect(
        inContext(() => writer.add(OrderCancelled, cancelled, options)),
      ).rejects.toBeInstanceOf(InvalidPublishPropertiesError);
      expect(query).not.toHaveBeenCalled();
    },
  );

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
    const { writer, query } = setup();
    await expect(writer.add(OrderCancelled, cancelled)).rejects.toThrow(/No correlation context/);
    expect(query).not.toHaveBeenCalled();
  });
});
