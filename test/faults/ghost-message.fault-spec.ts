import { EVENTS_EXCHANGE } from '@app/contracts';
import { type Database, DRIZZLE } from '@app/platform';
import {
  AmqpTestClient,
  effects,
  isolate,
  type Isolation,
  outbox,
  startFixtureApp,
} from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';

describe('A handler that throws after writing its event', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let client: AmqpTestClient;

  beforeAll(async () => {
    isolation = await isolate('ghost');
    app = await startFixtureApp(isolation.env);
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
    await client.bindObserver('echoes', EVENTS_EXCHANGE, ['fixture.echoed']);
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await isolation?.dispose();
  });

  it('leaves no ghost: neither its write nor its event survives, and nothing is published', async () => {
    const messageId = randomUUID();
    await client.publish(
      EVENTS_EXCHANGE,
      'fixture.recorded',
      { value: 'ghost', behaviour: 'emit-then-fail' },
      { messageId, type: 'fixture.recorded', contentType: 'application/json' },
    );
    const [deadLettered] = await client.take('fixture.events.dlq', 1);
    expect(deadLettered.properties.headers?.['x-error']).toBe(
      'fixture failed after writing its event',
    );

    const db = app.get<Database>(DRIZZLE);
    expect(await db.select().from(effects).where(eq(effects.messageId, messageId))).toEqual([]);
    expect(await db.select().from(outbox).where(eq(outbox.type, 'fixture.echoed'))).toEqual([]);
    expect(await client.messageCount('echoes')).toBe(0);
  });
});
