import { OutboxPruner } from '@app/outbox';
import { type Database, DRIZZLE } from '@app/platform';
import { isolate, type Isolation, outbox, startFixtureApp } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

describe('Pruning the outbox (real PostgreSQL)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let db: Database;

  const outboxRow = (label: string, sentAt: Date | null) => ({
    id: randomUUID(),
    exchange: 'events',
    routingKey: 'fixture.recorded',
    type: 'fixture.recorded',
    payload: { value: label },
    headers: {},
    createdAt: hoursAgo(1_000),
    sentAt,
    // Far in the future, so the relay leaves the unsent row alone during the test.
    nextAttemptAt: new Date(Date.now() + 3_600_000),
  });

  beforeAll(async () => {
    isolation = await isolate('prune');
    app = await startFixtureApp({
      ...isolation.env,
      OUTBOX_RETENTION_HOURS: '24',
    });
    db = app.get<Database>(DRIZZLE);
  });

  afterAll(async () => {
    await app?.close();
    await isolation?.dispose();
  });

  it('deletes sent rows past their retention, and nothing else', async () => {
    await db
      .insert(outbox)
      .values([
        outboxRow('sent long ago', hoursAgo(25)),
        outboxRow('sent recently', hoursAgo(23)),
        outboxRow('never sent', null),
      ]);

    await expect(app.get(OutboxPruner).prune()).resolves.toBe(1);

    const left = await db.select({ value: sql<string>`${outbox.payload}->>'value'` }).from(outbox);
    expect(left.map((row) => row.value).sort()).toEqual(['never sent', 'sent recently']);
  });
});
