import { EVENTS_EXCHANGE } from '@app/contracts';
import { CorrelationContext } from '@app/correlation';
import { OutboxRelay, OutboxWriter } from '@app/outbox';
import { type Database, DRIZZLE } from '@app/platform';
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
import { isNull } from 'drizzle-orm';

const ROWS = 300;

describe('Two outbox relays on one table', () => {
  let isolation: Isolation;
  let replicas: INestApplication[] = [];
  let client: AmqpTestClient;

  beforeAll(async () => {
    isolation = await isolate('replicas');
    const options = isolation.env;
    replicas = [await startFixtureApp(options), await startFixtureApp(options)];
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
    await client.bindObserver('observer', EVENTS_EXCHANGE, ['fixture.recorded']);
  });

  afterAll(async () => {
    await client?.close();
    for (const replica of replicas) await replica.close();
    await isolation?.dispose();
  });

  it('publish every committed row exactly once between them', async () => {
    const [first] = replicas;
    const written = await first
      .get(CorrelationContext)
      .run({ correlationId: 'corr', causationId: 'cause' }, () =>
        first.get(TransactionHost).withTransaction(async () => {
          const ids: string[] = [];
          for (let index = 0; index < ROWS; index += 1) {
            ids.push(
              await first
                .get(OutboxWriter)
                .add(FixtureRecorded, { value: `row-${index}`, behaviour: 'succeed', workMs: 0 }),
            );
          }
          return ids;
        }),
      );
    // Both relays are woken at once and race for the same rows.
    for (const replica of replicas) replica.get(OutboxRelay).kick();

    const messages = await client.take('observer', ROWS, 20_000);
    const db = first.get<Database>(DRIZZLE);
    await waitFor(
      async () => (await db.select().from(outbox).where(isNull(outbox.sentAt))).length === 0,
      {
        description: 'every row marked sent',
      },
    );
    expect(await client.drain('observer')).toHaveLength(0);
    const published = messages.map((message) => message.properties.messageId as string);
    // `take` returns all it drained, which may be more than ROWS: a copy taken with the rest
    // counts here, where a set of ids would fold it away.
    expect(published).toHaveLength(ROWS);
    expect(new Set(published).size).toBe(ROWS);
    expect(new Set(published)).toEqual(new Set(written));
  });
});
