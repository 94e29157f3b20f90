import { type Database, DRIZZLE } from '@app/platform';
import { PeriodicJobs, timerName } from '@app/scheduling';
import { isolate, type Isolation, startServiceApp } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { eq, sql } from 'drizzle-orm';
import request from 'supertest';
import { idempotencyKeys } from '../src/db/order.tables';

const anOrder = (customerId: string) => ({
  customerId,
  currency: 'EUR',
  items: [{ sku: 'book', quantity: 1, unitPrice: 1000 }],
});

describe('Pruning Idempotency-Keys (in-process, real PostgreSQL and RabbitMQ)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let db: Database;
  const placeWithKey = (key: string, customerId: string) =>
    request(app.getHttpServer())
      .post('/orders')
      .set('Idempotency-Key', key)
      .send(anOrder(customerId));

  beforeAll(async () => {
    isolation = await isolate('prune-idempotency-keys');
    app = await startServiceApp(() => import('../src/order.module').then((m) => m.OrderModule), {
      ...isolation.env,
      IDEMPOTENCY_KEY_RETENTION_HOURS: '48',
    });
    db = app.get<Database>(DRIZZLE);
  });

  afterAll(async () => {
    await app?.close();
    await isolation?.dispose();
  });

  it('forgets a key past its retention, hourly and once per tick across replicas; a younger key still guards', async () => {
    await placeWithKey('old-key', 'customer-a').expect(202);
    await placeWithKey('young-key', 'customer-a').expect(202);
    await db
      .update(idempotencyKeys)
      .set({ createdAt: sql`now() - interval '49 hours'` })
      .where(eq(idempotencyKeys.key, 'old-key'));
    const jobs = app.get(PeriodicJobs);
    const tick = new Date('2026-11-30T10:00:00Z');

    await expect(jobs.runTick('prune-idempotency-keys', tick)).resolves.toBe('succeeded');
    await expect(jobs.runTick('prune-idempotency-keys', tick)).resolves.toBe('skipped');

    const kept = await db.select({ key: idempotencyKeys.key }).from(idempotencyKeys);
    expect(kept).toEqual([{ key: 'young-key' }]);
    // The forgotten key is free for a new request; the young one still refuses another body.
    await placeWithKey('old-key', 'customer-b').expect(202);
    await placeWithKey('young-key', 'customer-b').expect(422);
    expect(app.get(SchedulerRegistry).getTimeouts()).toContain(timerName('prune-idempotency-keys'));
  });
});
