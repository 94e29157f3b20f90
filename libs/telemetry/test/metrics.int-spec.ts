import { EVENTS_EXCHANGE } from '@app/contracts';
import { CorrelationContext } from '@app/correlation';
import { RpcClient, RpcDeadlineExceededError } from '@app/messaging';
import {
  AmqpTestClient,
  consumerIdle,
  FixtureEcho,
  insertStaleOutboxRow,
  type IsolatedFixture,
  outbox,
  seriesValue,
  startIsolatedFixture,
  waitFor,
} from '@app/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';

describe('GET /metrics (in-process, real RabbitMQ and PostgreSQL)', () => {
  let fixture: IsolatedFixture;
  let client: AmqpTestClient;
  const scrape = async () =>
    (await request(fixture.app.getHttpServer()).get('/metrics').expect(200)).text;

  beforeAll(async () => {
    fixture = await startIsolatedFixture('metrics', { env: { RPC_TIMEOUT_MS: '300' } });
    ({ client } = fixture);
  });

  afterAll(() => fixture?.dispose());

  const send = (behaviour: string) =>
    client.publish(
      EVENTS_EXCHANGE,
      'fixture.recorded',
      { value: behaviour, behaviour },
      { messageId: randomUUID(), type: 'fixture.recorded', contentType: 'application/json' },
    );

  it('counts consumed messages by outcome: ack, retry, dead-lettered, duplicate', async () => {
    const consumed = { queue: 'fixture.events', type: 'fixture.recorded' };
    const duplicateId = randomUUID();
    await send('succeed');
    await send('fail-once');
    await send('fail-permanently');
    for (let copy = 0; copy < 2; copy += 1) {
      await client.publish(
        EVENTS_EXCHANGE,
        'fixture.recorded',
        { value: 'twice' },
        {
          messageId: duplicateId,
          type: 'fixture.recorded',
        },
      );
    }
    const text = await waitFor(
      async () => {
        const current = await scrape();
        const acks = seriesValue(current, 'messaging_messages_consumed_total', {
          ...consumed,
          outcome: 'ack',
        });
        return acks >= 3 && consumerIdle(fixture.app, 'fixture.events') ? current : undefined;
      },
      { description: 'the acks to be counted' },
    );
    const count = (outcome: string) =>
      seriesValue(text, 'messaging_messages_consumed_total', { ...consumed, outcome });
    expect(count('ack')).toBe(3);
    expect(count('retry')).toBe(1);
    expect(count('dead_lettered')).toBe(1);
    expect(count('duplicate')).toBe(1);
    // Timed by the transport around each handler: five runs; the duplicate never reached it.
    expect(seriesValue(text, 'messaging_handler_duration_seconds_count', consumed)).toBe(5);
    expect(
      seriesValue(text, 'messaging_messages_published_total', {
        exchange: '(default)',
        outcome: 'confirmed',
      }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('reports queue depths, outbox lag, RPC calls, HTTP requests and the process', async () => {
    const call = (delayMs: number) =>
      fixture.app
        .get(CorrelationContext)
        .run({ correlationId: 'c', causationId: 'c' }, () =>
          fixture.app.get(RpcClient).call(FixtureEcho, { text: 'hi', delayMs, fail: false }),
        );
    await call(0);
    await expect(call(1_000)).rejects.toBeInstanceOf(RpcDeadlineExceededError);
    await request(fixture.app.getHttpServer()).get('/health/live').expect(200);

    // Queue depths are sampled from the broker at most once a second: allow for a stale scrape.
    const text = await waitFor(
      async () => {
        const current = await scrape();
        const dlq = seriesValue(current, 'messaging_queue_messages', {
          queue: 'fixture.events.dlq',
        });
        return dlq === 1 ? current : undefined;
      },
      { description: 'the dead-letter queue depth' },
    );
    expect(seriesValue(text, 'messaging_queue_consumers', { queue: 'fixture.events' })).toBe(1);
    expect(text).toMatch(/^outbox_pending_messages \d+$/m);
    expect(text).toMatch(/^outbox_oldest_pending_age_seconds [\d.]+$/m);
    const rpc = { routing_key: 'fixture.echo' };
    expect(
      seriesValue(text, 'messaging_rpc_client_duration_seconds_count', { ...rpc, outcome: 'ok' }),
    ).toBe(1);
    expect(seriesValue(text, 'messaging_rpc_client_timeouts_total', rpc)).toBe(1);
    expect(
      seriesValue(text, 'http_requests_total', {
        method: 'GET',
        route: '/health/live',
        status: '200',
      }),
    ).toBe(1);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('reports an unsent outbox row in the lag gauges, and their fall once it is gone', async () => {
    const lag = (text: string) => ({
      pending: seriesValue(text, 'outbox_pending_messages', {}),
      age: seriesValue(text, 'outbox_oldest_pending_age_seconds', {}),
    });
    const removeRow = await insertStaleOutboxRow(fixture.db, outbox, 30);
    try {
      // The lag is measured at most once a second: allow for a stale scrape.
      const behind = await waitFor(
        async () => {
          const measured = lag(await scrape());
          return measured.pending === 1 ? measured : undefined;
        },
        { description: 'the gauges to count the unsent row' },
      );
      expect(behind.age).toBeGreaterThanOrEqual(30);
    } finally {
      await removeRow();
    }
    await waitFor(async () => JSON.stringify(lag(await scrape())) === '{"pending":0,"age":0}', {
      description: 'the gauges to fall back to nothing pending',
    });
  });
});
