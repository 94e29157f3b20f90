import { EVENTS_EXCHANGE } from '@app/contracts';
import {
  consumerIdle,
  type IsolatedFixture,
  seriesValue,
  startIsolatedFixture,
  waitFor,
} from '@app/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';

const QUEUE = 'fixture.events';

async function scrape(fixture: IsolatedFixture): Promise<string> {
  return (await request(fixture.app.getHttpServer()).get('/metrics').expect(200)).text;
}

const acked = (text: string) =>
  seriesValue(text, 'messaging_messages_consumed_total', {
    queue: QUEUE,
    type: 'fixture.recorded',
    outcome: 'ack',
  });

/** Sends one message the fixture handles, and returns the page once its ack is counted. */
async function consumeOne(fixture: IsolatedFixture): Promise<string> {
  await fixture.client.publish(
    EVENTS_EXCHANGE,
    'fixture.recorded',
    { value: 'one', behaviour: 'succeed' },
    { messageId: randomUUID(), type: 'fixture.recorded', contentType: 'application/json' },
  );
  return waitFor(
    async () => {
      const text = await scrape(fixture);
      return acked(text) > 0 && consumerIdle(fixture.app, QUEUE) ? text : undefined;
    },
    { description: 'the message to be counted' },
  );
}

/**
 * A test file may start an application, close it and start another in the same process, as
 * Nest's own e2e examples do in `beforeEach`. The metrics registry is the process's.
 */
describe('GET /metrics of an application started after another closed', () => {
  let second: IsolatedFixture | undefined;

  afterAll(() => second?.dispose());

  it('serves the new application’s metrics, counted from zero, and its gauges', async () => {
    const first = await startIsolatedFixture('metrics-first-app');
    try {
      expect(acked(await consumeOne(first))).toBe(1);
    } finally {
      await first.dispose();
    }

    const next = await startIsolatedFixture('metrics-second-app');
    second = next;
    // The outbox and queue gauges read the application's pool and channel when scraped: the
    // first application's are closed.
    const text = await scrape(next);
    expect(acked(text)).toBe(0);
    expect(text).toMatch(/^outbox_pending_messages \d+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(acked(await consumeOne(next))).toBe(1);
    const gauges = await waitFor(
      async () => {
        const current = await scrape(next);
        return seriesValue(current, 'messaging_queue_consumers', { queue: QUEUE }) === 1
          ? current
          : undefined;
      },
      { description: 'the second application’s queue to be sampled' },
    );
    expect(seriesValue(gauges, 'messaging_queue_messages', { queue: QUEUE })).toBe(0);
  });
});
