import { EVENTS_EXCHANGE } from '@app/contracts';
import { deadLetterQueueName, MessageHeaders } from '@app/messaging';
import { type Database, DRIZZLE } from '@app/platform';
import {
  AmqpTestClient,
  effects,
  fixtureTopology,
  isolate,
  type Isolation,
  startFixtureApp,
  waitFor,
} from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import type { GetMessage, Options } from 'amqplib';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';

const QUEUE = fixtureTopology.queues.events.name;
const DLQ = deadLetterQueueName(QUEUE);
const TYPE = 'fixture.recorded';

/**
 * Envelopes a careless or hostile client can send: each must end in the dead-letter queue once,
 * with a reason, and leave the consumer and its publisher able to handle the next message.
 */
describe('Hostile envelopes: dead-lettered once, and the next message is handled', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let client: AmqpTestClient;
  let db: Database;

  const publish = (body: unknown, properties: Options.Publish, routingKey = TYPE) =>
    client.publish(EVENTS_EXCHANGE, routingKey, body, {
      contentType: 'application/json',
      ...properties,
    });

  const handled = (messageId: string) =>
    waitFor(
      async () => {
        const rows = await db.select().from(effects).where(eq(effects.messageId, messageId));
        return rows.length > 0 ? rows : undefined;
      },
      { description: `message ${messageId} to be handled` },
    );

  /** Sends a valid message and waits for its effect; returns the one dead-lettered copy. */
  const onlyCopyAfterValidMessage = async (): Promise<GetMessage> => {
    const messageId = randomUUID();
    await publish({ value: 'next' }, { messageId, type: TYPE });
    expect(await handled(messageId)).toHaveLength(1);
    const [copy] = await client.take(DLQ, 1);
    expect(await client.messageCount(DLQ)).toBe(0);
    return copy;
  };

  const errorOf = (message: GetMessage) =>
    String(message.properties.headers?.[MessageHeaders.error]);

  beforeAll(async () => {
    isolation = await isolate('hostile');
    app = await startFixtureApp({ ...isolation.env, RETRY_DELAYS_MS: '100' });
    db = app.get<Database>(DRIZZLE);
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await isolation?.dispose();
  });

  it('dead-letters an id of 256 characters from x-message-id, moved out of the way', async () => {
    await publish({}, { type: TYPE, headers: { 'x-message-id': 'B'.repeat(256) } });
    const copy = await onlyCopyAfterValidMessage();
    expect(errorOf(copy)).toBe(
      'invalid messageId: the messageId is 256 characters, above 128; the copy: messageId of ' +
        '256 bytes moved to x-original-message-id',
    );
    // The copy gets an id of its own (returns are matched by it); the sender's is kept aside.
    expect(copy.properties.messageId).not.toBe('B'.repeat(256));
    expect(copy.properties.headers?.['x-original-message-id']).toBe('B'.repeat(256));
  });

  it('dead-letters a 50 kB correlation header on an invalid body, the header trimmed', async () => {
    const messageId = randomUUID();
    await publish(Buffer.from('{"value":'), {
      messageId,
      type: TYPE,
      headers: { 'x-correlation-id': 'c'.repeat(50_000) },
    });
    const copy = await onlyCopyAfterValidMessage();
    expect(copy.properties.messageId).toBe(messageId);
    expect(errorOf(copy)).toMatch(
      /^invalid headers: the headers take \d+ bytes, above the 16384-byte limit; the copy: header x-correlation-id trimmed from 50000 bytes$/,
    );
  });

  it('dead-letters a type that contradicts the routing key, with that reason', async () => {
    const messageId = randomUUID();
    await publish({ value: 'typed' }, { messageId, type: 'fixture.other' });
    const copy = await onlyCopyAfterValidMessage();
    expect(copy.properties.messageId).toBe(messageId);
    expect(errorOf(copy)).toBe(`the type "fixture.other" does not match the routing key "${TYPE}"`);
  });

  it('handles a message from a foreign client that sets no type', async () => {
    const messageId = randomUUID();
    await publish({ value: 'untyped' }, { messageId });
    expect(await handled(messageId)).toHaveLength(1);
    expect(await client.messageCount(DLQ)).toBe(0);
  });
});
