import { defineMessage } from '@app/contracts';
import { CorrelationContext } from '@app/correlation';
import { OutboxWriter, outboxMessage, type OutboxRow } from '@app/outbox';
import { type DatabaseTransactionHost } from '@app/platform';
import { isolate, type Isolation, outbox, startFixtureApp } from '@app/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { INestApplication } from '@nestjs/common';
import { inArray, sql } from 'drizzle-orm';
import { Client, type QueryConfig } from 'pg';
import { z } from 'zod';

/** Text a hand-made statement would trip over: quotes, a backslash, comments, a placeholder. */
const awkward = `it's "quoted" \\ back -- not a comment /* nor this */ $1 ünïcödé ✓`;
const Nested = defineMessage(
  'test.writer-nested',
  z.object({ text: z.string(), amount: z.number(), items: z.array(z.object({ n: z.number() })) }),
);
const nested = { text: awkward, amount: 12.5, items: [{ n: 1 }, { n: 2 }] };

interface Written {
  ids: string[];
  rows: OutboxRow[];
  /** The transaction's now(): the moment of every default and delay. */
  now: Date;
}

describe('OutboxWriter rows (real PostgreSQL)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let txHost: DatabaseTransactionHost;
  let sent: jest.SpyInstance;

  /** Runs `write` in a transaction, reads what it wrote there, and rolls it back. */
  const written = async (
    write: (writer: OutboxWriter) => Promise<string[]>,
    before?: () => Promise<unknown>,
  ): Promise<Written> => {
    let seen: Written | undefined;
    const work = app
      .get(CorrelationContext)
      .run({ correlationId: 'corr-writer', causationId: 'cause-writer' }, () =>
        txHost.withTransaction(async () => {
          await before?.();
          const ids = await write(app.get(OutboxWriter));
          const rows = await txHost.tx.select().from(outbox).where(inArray(outbox.id, ids));
          // Read as the timestamps are, so both lose their microseconds alike.
          const [{ now }] = await txHost.tx
            .select({ now: sql`now()`.mapWith(outbox.createdAt) })
            .from(outbox)
            .limit(1);
          seen = { ids, rows: ids.map((id) => rows.find((row) => row.id === id)!), now };
          throw new Error('roll back');
        }),
      );
    await expect(work).rejects.toThrow('roll back');
    return seen!;
  };

  /** The texts of the outbox inserts sent to PostgreSQL since the last call. */
  const insertsSent = () => {
    const texts = sent.mock.calls
      .map(([config]) => (typeof config === 'string' ? config : (config as QueryConfig).text))
      .filter((text) => text?.includes('insert into "fixture"."outbox"'));
    sent.mockClear();
    return texts;
  };

  beforeAll(async () => {
    isolation = await isolate('outbox-writer');
    app = await startFixtureApp(isolation.env);
    txHost = app.get<DatabaseTransactionHost>(TransactionHost);
    sent = jest.spyOn(Client.prototype, 'query');
  });

  afterAll(async () => {
    sent?.mockRestore();
    await app?.close();
    await isolation?.dispose();
  });

  it('opens a transaction with BEGIN in the same round trip, and stores payload and headers as JSON', async () => {
    insertsSent();
    const { ids, rows, now } = await written((writer) =>
      writer.addAll([
        outboxMessage(Nested, nested, { headers: { 'x-step': awkward } }),
        outboxMessage(Nested, nested, { route: { exchange: '', routingKey: 'a.queue' } }),
      ]),
    );
    expect(insertsSent()).toEqual([
      expect.stringMatching(/^begin; insert into "fixture"\."outbox"/),
    ]);
    expect(rows).toEqual([
      {
        id: ids[0],
        exchange: 'events',
        routingKey: 'test.writer-nested',
        type: 'test.writer-nested',
        payload: nested,
        headers: {
          'x-step': awkward,
          'x-correlation-id': 'corr-writer',
          'x-causation-id': 'cause-writer',
        },
        createdAt: now,
        sentAt: null,
        attempts: 0,
        nextAttemptAt: now,
        deliverAt: null,
        lastError: null,
      },
      expect.objectContaining({ id: ids[1], exchange: '', routingKey: 'a.queue', payload: nested }),
    ]);
  });

  it('writes the same rows after other statements of the transaction', async () => {
    const { rows, now } = await written(
      async (writer) => [await writer.add(Nested, nested)],
      () => txHost.tx.execute(sql`select 1`),
    );
    expect(insertsSent()).toEqual([expect.stringMatching(/^insert into "fixture"\."outbox"/)]);
    expect(rows[0]).toMatchObject({ payload: nested, nextAttemptAt: now, deliverAt: null });
  });

  it('makes a moment or a delay, by the database clock, the due time of a scheduled message', async () => {
    const moment = new Date('2030-01-02T03:04:05.678Z');
    const { rows, now } = await written((writer) =>
      writer.addAll([
        outboxMessage(Nested, nested, { deliverAt: moment }),
        outboxMessage(Nested, nested, { delayMs: 1500 }),
        outboxMessage(Nested, nested),
      ]),
    );
    const later = new Date(now.getTime() + 1500);
    expect(rows.map((row) => [row.deliverAt, row.nextAttemptAt, row.createdAt])).toEqual([
      [moment, moment, now],
      [later, later, now],
      [null, now, now],
    ]);
  });
});
