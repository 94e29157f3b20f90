import { EVENTS_EXCHANGE } from '@app/contracts';
import { deadLetterQueueName, MessageHeaders } from '@app/messaging';
import type { Database } from '@app/platform';
import {
  AmqpTestClient,
  effects,
  fixtureTopology,
  type IsolatedFixture,
  startIsolatedFixture,
  waitFor,
} from '@app/testing';
import type { GetMessage, Options } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';

const QUEUE = fixtureTopology.queues.events.name;
const DLQ = deadLetterQueueName(QUEUE);

describe('Failed messages: retries with backoff, then the dead-letter queue', () => {
  let fixture: IsolatedFixture;
  let client: AmqpTestClient;
  let db: Database;

  const send = async (body: unknown, properties: Options.Publish = {}) => {
    const messageId = randomUUID();
    await client.publish(EVENTS_EXCHANGE, 'fixture.recorded', body, {
      messageId,
      type: 'fixture.recorded',
      contentType: 'application/json',
      headers: { 'x-correlation-id': 'corr-dlq', 'x-custom': 'kept' },
      ...properties,
    });
    return messageId;
  };

  const deadLettered = async (messageId: string): Promise<GetMessage> => {
    const message = await client.takeOne(DLQ);
    expect(message.properties.messageId).toBe(messageId);
    return message;
  };

  const effectsOf = (messageId: string) =>
    db.select().from(effects).where(eq(effects.messageId, messageId));

  beforeAll(async () => {
    fixture = await startIsolatedFixture('dlq', { env: { RETRY_DELAYS_MS: '100,300' } });
    ({ client, db } = fixture);
  });

  afterAll(() => fixture?.dispose());

  it('dead-letters malformed JSON at once, body and headers intact, with the reason', async () => {
    const body = Buffer.from('{"value": "unterminated');
    const messageId = await send(body);
    const message = await deadLettered(messageId);
    expect(message.content.equals(body)).toBe(true);
    expect(message.properties.headers).toMatchObject({
      'x-correlation-id': 'corr-dlq',
      'x-custom': 'kept',
      [MessageHeaders.attempts]: 1,
      [MessageHeaders.sourceQueue]: QUEUE,
    });
    expect(String(message.properties.headers?.[MessageHeaders.error])).toMatch(/^malformed JSON/);
    expect(String(message.properties.headers?.[MessageHeaders.failedAt])).toMatch(
      /^\d{4}-\d{2}-\d{2}T/,
    );
  });

  it('dead-letters a payload that breaks its contract, naming the field', async () => {
    const messageId = await send({ value: 42 });
    const message = await deadLettered(messageId);
    expect(String(message.properties.headers?.[MessageHeaders.error])).toMatch(
      /invalid fixture.recorded payload: value: /,
    );
    expect(await effectsOf(messageId)).toHaveLength(0);
  });

  it('dead-letters a message whose type is not the routing key it came with', async () => {
    const messageId = await send({ value: 'x' }, { type: 'fixture.unknown' });
    const message = await deadLettered(messageId);
    expect(String(message.properties.headers?.[MessageHeaders.error])).toBe(
      'the type "fixture.unknown" does not match the routing key "fixture.recorded"',
    );
  });

  it('dead-letters a message without a messageId, which could not be deduplicated', async () => {
    await client.publish(
      EVENTS_EXCHANGE,
      'fixture.recorded',
      { value: 'anonymous' },
      {
        type: 'fixture.recorded',
        contentType: 'application/json',
      },
    );
    const message = await client.takeOne(DLQ);
    expect(String(message.properties.headers?.[MessageHeaders.error])).toMatch(/no messageId/);
  });

  it('dead-letters at once what the handler says can never succeed', async () => {
    const messageId = await send({ value: 'refused', behaviour: 'fail-permanently' });
    const message = await deadLettered(messageId);
    expect(message.properties.headers).toMatchObject({
      [MessageHeaders.error]: 'fixture refuses this',
      [MessageHeaders.attempts]: 1,
    });
    expect(await effectsOf(messageId)).toHaveLength(0);
  });

  it('retries a transient failure with backoff and succeeds, with one effect', async () => {
    const messageId = await send({ value: 'second time lucky', behaviour: 'fail-once' });
    const [effect] = await waitFor(
      async () => {
        const rows = await effectsOf(messageId);
        return rows.length > 0 ? rows : undefined;
      },
      { description: 'the retried message to be handled' },
    );
    expect(effect.attempt).toBe(2);
    expect(await effectsOf(messageId)).toHaveLength(1);
  });

  it('gives up after the configured attempts and dead-letters, leaving no effect behind', async () => {
    const messageId = await send({ value: 'doomed', behaviour: 'fail-always' });
    const message = await deadLettered(messageId);
    expect(message.properties.headers).toMatchObject({
      [MessageHeaders.attempts]: 3,
      [MessageHeaders.error]: 'fixture handler failed (gave up after 3 attempts)',
      'x-correlation-id': 'corr-dlq',
    });
    // Each attempt wrote its effect and threw: all three writes rolled back.
    expect(await effectsOf(messageId)).toHaveLength(0);
  });

  it("retries and dead-letters another service's refused connection: not a database outage to hold", async () => {
    // ECONNREFUSED also means "the database is down"; the database answering says otherwise.
    const messageId = await send({
      value: 'provider down',
      behaviour: 'other-service-unreachable',
    });
    const message = await deadLettered(messageId);
    expect(message.properties.headers).toMatchObject({
      [MessageHeaders.attempts]: 3,
      [MessageHeaders.error]: 'fetch failed (gave up after 3 attempts)',
    });
  });
});
