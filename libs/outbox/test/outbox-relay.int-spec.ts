import { EVENTS_EXCHANGE, RPC_EXCHANGE } from '@app/contracts';
import { CorrelationContext } from '@app/correlation';
import { OutboxWriter } from '@app/outbox';
import { type Database, DRIZZLE, qualifiedTableName } from '@app/platform';
import {
  AmqpTestClient,
  FixtureRecorded,
  isolate,
  type Isolation,
  outbox,
  startFixtureApp,
  waitFor,
} from '@app/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { INestApplication } from '@nestjs/common';
import { eq, inArray, isNull, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { OutboxRowStatements } from '../src/outbox-rows';

describe('Outbox relay (real RabbitMQ and PostgreSQL)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let client: AmqpTestClient;
  let db: Database;

  const inTransaction = <T>(work: (writer: OutboxWriter) => Promise<T>): Promise<T> =>
    app
      .get(CorrelationContext)
      .run({ correlationId: 'corr-relay', causationId: 'cause-relay' }, () =>
        app.get(TransactionHost).withTransaction(() => work(app.get(OutboxWriter))),
      );

  const pendingRows = () => db.select().from(outbox).where(isNull(outbox.sentAt));
  const rowOf = async (id: string) => (await db.select().from(outbox).where(eq(outbox.id, id)))[0];

  beforeAll(async () => {
    isolation = await isolate('relay');
    app = await startFixtureApp(isolation.env);
    db = app.get<Database>(DRIZZLE);
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
    await client.bindObserver('observer', EVENTS_EXCHANGE, ['fixture.recorded']);
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await isolation?.dispose();
  });

  it('publishes what was committed, with the envelope of DESIGN §3, and nothing of a rollback', async () => {
    const messageId = await inTransaction((writer) =>
      writer.add(FixtureRecorded, { value: 'committed', behaviour: 'succeed', workMs: 0 }),
    );
    await expect(
      inTransaction(async (writer) => {
        await writer.add(FixtureRecorded, {
          value: 'rolled-back',
          behaviour: 'succeed',
          workMs: 0,
        });
        throw new Error('the business write failed');
      }),
    ).rejects.toThrow('the business write failed');

    const message = await client.takeOne('observer');
    await waitFor(async () => (await pendingRows()).length === 0, {
      description: 'no unsent rows',
    });
    expect(await client.drain('observer')).toHaveLength(0);
    expect(JSON.parse(message.content.toString())).toEqual({
      value: 'committed',
      behaviour: 'succeed',
      workMs: 0,
    });
    expect(message.properties).toMatchObject({
      messageId,
      type: 'fixture.recorded',
      contentType: 'application/json',
      appId: 'fixture',
      deliveryMode: 2,
      headers: { 'x-correlation-id': 'corr-relay', 'x-causation-id': 'cause-relay' },
    });
    expect(typeof message.properties.timestamp).toBe('number');
    expect(await db.select().from(outbox)).toHaveLength(1);
  });

  it('refuses to write outside a transaction, where the message could outlive a rollback', async () => {
    const outsideTransaction = app
      .get(CorrelationContext)
      .run({ correlationId: 'corr', causationId: 'cause' }, () =>
        app.get(OutboxWriter).add(FixtureRecorded, { value: 'x', behaviour: 'succeed', workMs: 0 }),
      );
    await expect(outsideTransaction).rejects.toThrow(/needs an open transaction/);
  });

  it('publishes a row committed after refused ones at once, not after a backoff of the relay', async () => {
    const route = { exchange: RPC_EXCHANGE, routingKey: 'nobody.listens.yet' };
    const refused: string[] = [];
    // Refused batch after refused batch, as while a queue is full: a relay that backed off as a
    // whole would by now wait 0.5 + 1 + 2 + 4 s before its next batch.
    for (let index = 0; index < 5; index += 1) {
      const id = await inTransaction((writer) =>
        writer.add(FixtureRecorded, { value: 'held', behaviour: 'succeed', workMs: 0 }, { route }),
      );
      refused.push(id);
      await waitFor(async () => (await rowOf(id))?.attempts > 0, {
        description: `refused row ${index + 1} to be tried`,
      });
    }

    const id = await inTransaction((writer) =>
      writer.add(FixtureRecorded, { value: 'routable', behaviour: 'succeed', workMs: 0 }),
    );
    const message = await client.takeOne('observer', 3_000);
    expect(message.properties.messageId).toBe(id);
    await db.delete(outbox).where(inArray(outbox.id, refused));
  });

  it('puts a refused row off from when it was refused, not from when its batch was claimed', async () => {
    // The publishes between claim and marks may take their whole timeout (5 s): a first wait of
    // 1 s counted from the claim would already be over, and the row tried again at once.
    const id = randomUUID();
    await db.insert(outbox).values({
      id,
      exchange: RPC_EXCHANGE,
      routingKey: 'nobody.listens.late',
      type: 'fixture.recorded',
      payload: { value: 'slow' },
      headers: {},
      // Far in the future, so the relay leaves the row alone during the test.
      nextAttemptAt: new Date(Date.now() + 3_600_000),
    });
    const statements = new OutboxRowStatements(outbox, 10);
    const session = new Client({ connectionString: isolation.env.DATABASE_URL });
    await session.connect();
    try {
      await session.query(
        `begin; select pg_sleep(1.5); ${statements.markRefused([id], 'no confirm')}; commit`,
      );
      const { rows } = await session.query<{ wait: number }>(
        `select extract(epoch from next_attempt_at - clock_timestamp())::float8 as wait ` +
          `from ${qualifiedTableName(outbox)} where id = $1`,
        [id],
      );
      expect(rows[0].wait).toBeGreaterThan(0.5);
    } finally {
      await session.end();
      await db.delete(outbox).where(eq(outbox.id, id));
    }
  });

  it('keeps an unroutable row unsent, reports why, and publishes it once a queue is bound', async () => {
    // Not on the events exchange: the event log (events.log, bound with #) takes every event.
    const route = { exchange: RPC_EXCHANGE, routingKey: 'nobody.listens' };
    const id = await inTransaction((writer) =>
      writer.add(FixtureRecorded, { value: 'lost?', behaviour: 'succeed', workMs: 0 }, { route }),
    );
    const reported = await waitFor(
      async () => {
        const row = await rowOf(id);
        return row?.attempts > 0 ? row : undefined;
      },
      { description: 'the relay to record the failed attempt' },
    );
    expect(reported.sentAt).toBeNull();
    expect(reported.lastError).toMatch(
      /No queue is bound to exchange "rpc" for routing key "nobody.listens"/,
    );

    // However often it was refused (5,000 times: two days of a full queue), the next attempt is
    // at most 30 s away, and the relay can still record it.
    await db
      .update(outbox)
      .set({ attempts: 5_000, nextAttemptAt: sql`now()` })
      .where(eq(outbox.id, id));
    const [longWait] = await waitFor(
      async () => {
        const rows = await db
          .select({
            attempts: outbox.attempts,
            waitSeconds: sql<number>`extract(epoch from ${outbox.nextAttemptAt} - now())::float8`,
          })
          .from(outbox)
          .where(eq(outbox.id, id));
        return rows[0]?.attempts > 5_000 ? rows : undefined;
      },
      { description: 'the relay to retry the much-refused row' },
    );
    expect(longWait.waitSeconds).toBeGreaterThan(25);
    expect(longWait.waitSeconds).toBeLessThanOrEqual(30);
    await db
      .update(outbox)
      .set({ nextAttemptAt: sql`now()` })
      .where(eq(outbox.id, id));

    await client.bind('observer', RPC_EXCHANGE, 'nobody.listens');

    const message = await client.takeOne('observer', 15_000);
    expect(message.properties.messageId).toBe(id);
    await waitFor(async () => (await pendingRows()).length === 0, {
      description: 'the row marked sent',
    });
  });
});
