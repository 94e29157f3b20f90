import { EVENTS_EXCHANGE } from '@app/contracts';
import { CorrelationContext } from '@app/correlation';
import { OUTBOX_OPTIONS, OutboxMonitor, type OutboxModuleOptions, OutboxWriter } from '@app/outbox';
import { type Database, DRIZZLE } from '@app/platform';
import { MetricNames } from '@app/telemetry';
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
import { getToken } from '@willsoto/nestjs-prometheus';
import { eq, isNull } from 'drizzle-orm';
import type { Histogram } from 'prom-client';

const payload = (value: string) => ({ value, behaviour: 'succeed' as const, workMs: 0 });

describe('Scheduled messages through the outbox (real RabbitMQ and PostgreSQL)', () => {
  let isolation: Isolation;
  let apps: INestApplication[] = [];
  let client: AmqpTestClient;

  const inTransaction = <T>(
    app: INestApplication,
    work: (writer: OutboxWriter) => Promise<T>,
  ): Promise<T> =>
    app
      .get(CorrelationContext)
      .run({ correlationId: 'corr-scheduled', causationId: 'cause-scheduled' }, () =>
        app.get(TransactionHost).withTransaction(() => work(app.get(OutboxWriter))),
      );

  const schedule = (app: INestApplication, value: string, delayMs: number) =>
    inTransaction(app, (writer) => writer.add(FixtureRecorded, payload(value), { delayMs }));

  /** A relay that would poll only every minute: what it publishes sooner, its timer woke it for. */
  const startSlowPollingApp = async () => {
    const app = await startFixtureApp(isolation.env);
    app.get<OutboxModuleOptions>(OUTBOX_OPTIONS).pollIntervalMs = 60_000;
    apps.push(app);
    return app;
  };

  const closeApp = async (app: INestApplication) => {
    apps = apps.filter((running) => running !== app);
    await app.close();
  };

  const idsOf = (messages: { properties: { messageId?: unknown } }[]) =>
    messages.map((message) => message.properties.messageId as string);

  beforeAll(async () => {
    isolation = await isolate('scheduled');
    // The first start declares the exchanges the observer binds to.
    await startSlowPollingApp();
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
    await client.bindObserver('observer', EVENTS_EXCHANGE, ['fixture.recorded']);
  });

  afterEach(async () => {
    for (const app of apps) await app.close();
    apps = [];
    await client?.drain('observer');
  });

  afterAll(async () => {
    await client?.close();
    await isolation?.dispose();
  });

  it('publishes a message when it is due, woken by its timer, and reports it meanwhile', async () => {
    const app = await startSlowPollingApp();
    const lateness = app.get<Histogram<string>>(getToken(MetricNames.outboxScheduledLateness));
    const observedBefore = await latenessCount(lateness);
    const written = Date.now();
    const id = await schedule(app, 'later', 1500);
    await waitFor(async () => (await app.get(OutboxMonitor).lag()).scheduled === 1, {
      description: 'the message counted as scheduled, not as lagging',
    });
    expect((await app.get(OutboxMonitor).lag()).pending).toBe(0);

    const message = await client.takeOne('observer', 15_000);
    expect(message.properties.messageId).toBe(id);
    expect(Date.now() - written).toBeGreaterThanOrEqual(1500);
    // Observed when the relay marks it sent, just after the broker took it.
    await waitFor(async () => (await latenessCount(lateness)) === observedBefore + 1, {
      description: 'its lateness observed',
    });
  });

  it('survives a restart of its only relay and is published once', async () => {
    const first = await startSlowPollingApp();
    const id = await schedule(first, 'across a restart', 2000);
    await closeApp(first);
    await startSlowPollingApp();
    const message = await client.takeOne('observer', 15_000);
    expect(message.properties.messageId).toBe(id);
    await expectNothingMoreAfterAllSent(apps[0]);
  });

  it('is published once by two relays racing for it', async () => {
    const [first] = [await startSlowPollingApp(), await startSlowPollingApp()];
    const ids = await inTransaction(first, async (writer) => {
      const written: string[] = [];
      for (let index = 0; index < 50; index += 1) {
        written.push(await writer.add(FixtureRecorded, payload(`due-${index}`), { delayMs: 1000 }));
      }
      return written;
    });
    const messages = await client.take('observer', 50, 15_000);
    await expectNothingMoreAfterAllSent(first);
    // A copy drained with the rest counts here; the set below would fold it away.
    expect(messages).toHaveLength(50);
    expect(new Set(idsOf(messages))).toEqual(new Set(ids));
  });

  it('is cancelled by a committed cancel, and stays scheduled after a rolled-back one', async () => {
    const { app, kept } = await dropOneKeepOne(async (writer, id) => {
      await expect(writer.cancel(id)).resolves.toBe(true);
    });
    // Published, it can no longer be cancelled.
    await expect(inTransaction(app, (writer) => writer.cancel(kept))).resolves.toBe(false);
  });

  it('is discarded by a committed discard, and stays scheduled after a rolled-back one', async () => {
    await dropOneKeepOne(async (writer, id) => {
      await expect(writer.discard(id)).resolves.toBeUndefined();
    });
  });

  it('rolls back the transaction of a discard whose id is not a UUID, at its commit at the latest', async () => {
    const app = await startSlowPollingApp();
    const kept = await schedule(app, 'kept', 1000);
    await expect(
      inTransaction(app, async (writer) => {
        await writer.discard(kept);
        await writer.discard('not-a-uuid');
      }),
    ).rejects.toThrow(/invalid input syntax for type uuid/);
    // The whole transaction rolled back, the valid discard with it.
    const message = await client.takeOne('observer', 15_000);
    expect(message.properties.messageId).toBe(kept);
    await expectNothingMoreAfterAllSent(app);
  });

  /**
   * Schedules two messages and drops each with `drop`: one in a transaction that commits (its
   * row is then gone), the other in one that rolls back (it is then published, and nothing else).
   */
  async function dropOneKeepOne(drop: (writer: OutboxWriter, id: string) => Promise<void>) {
    const app = await startSlowPollingApp();
    const dropped = await schedule(app, 'dropped', 1000);
    const kept = await schedule(app, 'kept', 1000);
    await inTransaction(app, (writer) => drop(writer, dropped));
    const db = app.get<Database>(DRIZZLE);
    expect(await db.select().from(outbox).where(eq(outbox.id, dropped))).toEqual([]);
    await expect(
      inTransaction(app, async (writer) => {
        await drop(writer, kept);
        throw new Error('the business write failed');
      }),
    ).rejects.toThrow('the business write failed');

    const message = await client.takeOne('observer', 15_000);
    expect(message.properties.messageId).toBe(kept);
    await expectNothingMoreAfterAllSent(app);
    return { app, kept };
  }

  /** Every row marked sent, and no copy of any message beyond what was taken. */
  async function expectNothingMoreAfterAllSent(app: INestApplication): Promise<void> {
    const db = app.get<Database>(DRIZZLE);
    await waitFor(
      async () => (await db.select().from(outbox).where(isNull(outbox.sentAt))).length === 0,
      { description: 'every row marked sent' },
    );
    expect(await client.drain('observer')).toHaveLength(0);
  }
});

async function latenessCount(histogram: Histogram<string>): Promise<number> {
  const { values } = await histogram.get();
  return values.find((value) => value.metricName?.endsWith('_count'))?.value ?? 0;
}
