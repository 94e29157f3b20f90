import { EVENTS_EXCHANGE } from '@app/contracts';
import { CorrelationContext } from '@app/correlation';
import { OUTBOX_OPTIONS, type OutboxModuleOptions, OutboxWriter } from '@app/outbox';
import {
  AmqpTestClient,
  FixtureRecorded,
  isolate,
  type Isolation,
  startFixtureApp,
} from '@app/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { INestApplication } from '@nestjs/common';

/** Far beyond the deadline below: a row that waited for the poll would fail the test. */
const POLL_INTERVAL_MS = 60_000;
const PROMPTLY_MS = 3_000;

describe('Outbox relay wake-up (real RabbitMQ and PostgreSQL)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let client: AmqpTestClient;

  const commitRow = (value: string): Promise<string> =>
    app
      .get(CorrelationContext)
      .run({ correlationId: 'corr-wake', causationId: 'cause-wake' }, () =>
        app
          .get(TransactionHost)
          .withTransaction(() =>
            app.get(OutboxWriter).add(FixtureRecorded, { value, behaviour: 'succeed', workMs: 0 }),
          ),
      );

  beforeAll(async () => {
    isolation = await isolate('relay-wake');
    app = await startFixtureApp(isolation.env);
    app.get<OutboxModuleOptions>(OUTBOX_OPTIONS).pollIntervalMs = POLL_INTERVAL_MS;
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
    await client.bindObserver('observer', EVENTS_EXCHANGE, ['fixture.recorded']);
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await isolation?.dispose();
  });

  it('publishes a row committed while it sleeps at once, not at its next poll', async () => {
    // Once this row is out, the relay has gone back to sleep for the long poll interval.
    const first = await commitRow('settle');
    const settled = await client.takeOne('observer', PROMPTLY_MS + 2_000);
    expect(settled.properties.messageId).toBe(first);

    for (const value of ['second', 'third']) {
      const id = await commitRow(value);
      const message = await client.takeOne('observer', PROMPTLY_MS);
      expect(message.properties.messageId).toBe(id);
    }
  });
});
