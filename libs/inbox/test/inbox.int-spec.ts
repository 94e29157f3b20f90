import { EVENTS_EXCHANGE } from '@app/contracts';
import { type Database, DRIZZLE } from '@app/platform';
import {
  AmqpTestClient,
  consumerIdle,
  effects,
  fixtureTopology,
  inbox,
  isolate,
  type Isolation,
  startFixtureApp,
  waitFor,
} from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';

const QUEUE = fixtureTopology.queues.events.name;

describe('Inbox: at-least-once delivery, exactly-once effect', () => {
  let isolation: Isolation;
  let consumers: INestApplication[] = [];
  let client: AmqpTestClient;
  let db: Database;

  const publishCopies = async (messageId: string, copies: number, workMs: number) => {
    for (let copy = 0; copy < copies; copy += 1) {
      await client.publish(
        EVENTS_EXCHANGE,
        'fixture.recorded',
        { value: messageId, workMs },
        { messageId, type: 'fixture.recorded', contentType: 'application/json' },
      );
    }
  };

  const settled = async () => {
    const counts = await client.messageCount(QUEUE);
    return counts === 0 && consumers.every((app) => consumerIdle(app, QUEUE));
  };

  beforeAll(async () => {
    isolation = await isolate('inbox');
    const options = isolation.env;
    consumers = [await startFixtureApp(options), await startFixtureApp(options)];
    db = consumers[0].get<Database>(DRIZZLE);
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
  });

  afterAll(async () => {
    await client?.close();
    for (const app of consumers) await app.close();
    await isolation?.dispose();
  });

  it('applies a message delivered three times once, and records it once in the inbox', async () => {
    const messageId = randomUUID();
    await publishCopies(messageId, 3, 0);
    await waitFor(
      async () =>
        (await db.select().from(effects).where(eq(effects.messageId, messageId))).length > 0,
      {
        description: 'the first copy handled',
      },
    );
    await waitFor(settled, { description: 'all three copies settled' });
    expect(await db.select().from(effects).where(eq(effects.messageId, messageId))).toHaveLength(1);
    expect(await db.select().from(inbox).where(eq(inbox.messageId, messageId))).toEqual([
      expect.objectContaining({ handler: 'fixture.events#fixture.recorded' }),
    ]);
  });

  it('applies copies handled at the same moment by two consumers once', async () => {
    const ids = Array.from({ length: 5 }, () => randomUUID());
    // Each handler holds its transaction open for a while, so copies overlap across consumers.
    for (const id of ids) await publishCopies(id, 3, 150);
    let overlapped = false;
    await waitFor(
      async () => {
        overlapped ||= consumers.every((app) => !consumerIdle(app, QUEUE));
        return settled();
      },
      { description: 'all copies settled', timeoutMs: 20_000 },
    );
    // Both consumers were handling copies at the same moment, not taking them in turn.
    expect(overlapped).toBe(true);
    for (const id of ids) {
      expect(await db.select().from(effects).where(eq(effects.messageId, id))).toHaveLength(1);
    }
  });
});
