import {
  AmqpTestClient,
  insertStaleOutboxRow,
  type IsolatedFixture,
  startIsolatedFixture,
  outbox,
  waitFor,
} from '@app/testing';
import { PG_POOL } from '@app/platform';
import type { Pool, PoolClient } from 'pg';
import request from 'supertest';

describe('GET /health/ready (in-process, real RabbitMQ and PostgreSQL)', () => {
  let fixture: IsolatedFixture;
  let client: AmqpTestClient;
  const ready = () => request(fixture.app.getHttpServer()).get('/health/ready');
  /** What Kubernetes routes traffic by: it must not follow the broker or the outbox. */
  const serving = () => request(fixture.app.getHttpServer()).get('/health/serving');

  beforeAll(async () => {
    fixture = await startIsolatedFixture('readiness', { env: { OUTBOX_MAX_LAG_MS: '5000' } });
    ({ client } = fixture);
  });

  afterAll(() => fixture?.dispose());

  it('answers 200 in the terminus format with every check up; liveness checks nothing', async () => {
    const response = await ready().expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      info: {
        database: { status: 'up' },
        broker: { status: 'up' },
        consumers: {
          status: 'up',
          queues: ['fixture.events', 'fixture.echo'],
          inFlight: { 'fixture.events': 0, 'fixture.echo': 0 },
        },
        outbox: { status: 'up', pending: 0 },
      },
    });
    await request(fixture.app.getHttpServer())
      .get('/health/live')
      .expect(200, { status: 'ok', info: {}, error: {}, details: {} });
    expect((await serving().expect(200)).body.info).toEqual({ database: { status: 'up' } });
  });

  it('turns 503 while a consumer is detached ("connected but not consuming"), and 200 after', async () => {
    await client.deleteQueue('fixture.events');
    const detached = await waitFor(
      async () => {
        const response = await ready();
        return response.status === 503 ? response : undefined;
      },
      { description: 'readiness to notice the cancelled consumer', intervalMs: 20 },
    );
    expect(detached.body.error).toMatchObject({
      consumers: { status: 'down', detached: ['fixture.events'] },
    });
    expect(detached.body.info).toMatchObject({ broker: { status: 'up' } });
    await serving().expect(200);
    await waitFor(async () => (await ready()).status === 200, {
      description: 'the consumer to re-attach',
    });
  });

  it('turns 503 while the oldest unpublished outbox row is older than OUTBOX_MAX_LAG_MS', async () => {
    const removeRow = await insertStaleOutboxRow(fixture.db, outbox);
    try {
      // Readiness measures the lag at most once a second: allow for one stale answer.
      const response = await waitFor(
        async () => {
          const answer = await ready();
          return answer.status === 503 ? answer : undefined;
        },
        { description: 'readiness to report the outbox lag' },
      );
      expect(response.body.error).toMatchObject({ outbox: { status: 'down', pending: 1 } });
      expect(response.body.error.outbox.oldestPendingSeconds).toBeGreaterThanOrEqual(10);
      // Requests still commit meanwhile: the API stays in service.
      await serving().expect(200);
    } finally {
      await removeRow();
    }
    await waitFor(async () => (await ready()).status === 200, { description: 'readiness back' });
  });

  it("keeps serving and ready while every connection of the service's pool is taken: a busy replica, not a database down", async () => {
    const pool = fixture.app.get<Pool>(PG_POOL);
    const taken: PoolClient[] = [];
    try {
      for (let index = 0; index < pool.options.max; index++) taken.push(await pool.connect());
      expect(pool.idleCount).toBe(0);

      const response = await serving().expect(200);

      expect(response.body.info).toEqual({ database: { status: 'up' } });
      // Readiness too, past the second a lag measurement is reused: measured anew, the outbox's
      // lag is read on a connection of its own, not behind the taken pool.
      const takenAt = Date.now();
      const answers: unknown[] = [];
      await waitFor(
        async () => {
          const answer = await ready();
          answers.push(answer.status === 200 ? 200 : answer.body);
          return Date.now() - takenAt > 1_500;
        },
        { description: 'readiness to measure the lag again while the pool is taken' },
      );
      expect(answers.filter((answer) => answer !== 200)).toEqual([]);
    } finally {
      for (const client of taken) client.release();
    }
  });
});
