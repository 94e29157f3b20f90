import { type Database, DRIZZLE } from '@app/platform';
import {
  AmqpTestClient,
  insertStaleOutboxRow,
  isolate,
  type Isolation,
  outbox,
  startFixtureApp,
  waitFor,
} from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';

describe('GET /health/ready (in-process, real RabbitMQ and PostgreSQL)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let client: AmqpTestClient;
  const ready = () => request(app.getHttpServer()).get('/health/ready');

  beforeAll(async () => {
    isolation = await isolate('readiness');
    app = await startFixtureApp({ ...isolation.env, OUTBOX_MAX_LAG_MS: '5000' });
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await isolation?.dispose();
  });

  it('answers 200 in the terminus format with every check up; liveness checks nothing', async () => {
    const response = await ready().expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      info: {
        database: { status: 'up' },
        broker: { status: 'up' },
        consumers: { status: 'up', queues: ['fixture.events', 'fixture.echo'] },
        outbox: { status: 'up', pending: 0 },
      },
    });
    await request(app.getHttpServer())
      .get('/health/live')
      .expect(200, { status: 'ok', info: {}, error: {}, details: {} });
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
    await waitFor(async () => (await ready()).status === 200, {
      description: 'the consumer to re-attach',
    });
  });

  it('turns 503 while the oldest unpublished outbox row is older than OUTBOX_MAX_LAG_MS', async () => {
    const removeRow = await insertStaleOutboxRow(app.get<Database>(DRIZZLE), outbox);
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
    } finally {
      await removeRow();
    }
    await waitFor(async () => (await ready()).status === 200, { description: 'readiness back' });
  });
});
