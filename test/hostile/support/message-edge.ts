import { EVENTS_EXCHANGE } from '@app/contracts';
import { deadLetterQueueName, MessageHeaders, retryQueueName } from '@app/messaging';
import {
  consumerIdle,
  effects,
  FixtureRecorded,
  fixtureTopology,
  type IsolatedFixture,
  startIsolatedFixture,
  waitFor,
} from '@app/testing';
import { connect, type GetMessage, type Options } from 'amqplib';
import { eq } from 'drizzle-orm';
import { createHash, randomUUID } from 'node:crypto';
import { publishRaw, type RawMessage } from './raw-publish';

export const QUEUE = fixtureTopology.queues.events.name;
export const DLQ = deadLetterQueueName(QUEUE);
export const TYPE = FixtureRecorded.type;
const RETRY_DELAY_MS = 100;

export const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');
export const json = (body: unknown) => Buffer.from(JSON.stringify(body));
export const errorOf = (message: GetMessage) =>
  String(message.properties.headers?.[MessageHeaders.error]);

/**
 * The fixture service (one retry: two attempts in all) a hostile-input spec sends its messages
 * to, started before its tests and disposed of after them, with what those tests ask of it.
 */
export function messageEdge(label: string) {
  let fixture: IsolatedFixture;
  beforeAll(async () => {
    fixture = await startIsolatedFixture(label, {
      env: { RETRY_DELAYS_MS: String(RETRY_DELAY_MS) },
    });
  });
  afterAll(() => fixture?.dispose());

  const edge = {
    get client() {
      return fixture.client;
    },
    get db() {
      return fixture.db;
    },

    publish: (body: unknown, properties: Options.Publish, routingKey = TYPE) =>
      fixture.client.publish(EVENTS_EXCHANGE, routingKey, body, {
        contentType: 'application/json',
        ...properties,
      }),

    /** Writes the publish's frames by hand, for what amqplib would not send, on the fixture's route. */
    async publishFramed(message: Omit<RawMessage, 'exchange' | 'routingKey'>) {
      const model = await connect(fixture.isolation.env.RABBITMQ_URL);
      try {
        const channel = await model.createChannel();
        await publishRaw(channel, { exchange: EVENTS_EXCHANGE, routingKey: TYPE, ...message });
      } finally {
        await model.close();
      }
    },

    effectsOf: (messageId: string) =>
      fixture.db.select().from(effects).where(eq(effects.messageId, messageId)),

    handled: (messageId: string) =>
      waitFor(
        async () => {
          const rows = await edge.effectsOf(messageId);
          return rows.length > 0 ? rows : undefined;
        },
        { description: `message ${messageId} to be handled` },
      ),

    /** Nothing left to do: the queue and its retry queue empty, no message in flight. */
    settled: () =>
      waitFor(
        async () =>
          (await fixture.client.messageCount(QUEUE)) === 0 &&
          (await fixture.client.messageCount(retryQueueName(QUEUE, RETRY_DELAY_MS))) === 0 &&
          consumerIdle(fixture.app, QUEUE),
        { description: `${QUEUE} settled` },
      ),

    /** Sends a valid message and waits for its effect; returns the one dead-lettered copy. */
    async onlyCopyAfterValidMessage(): Promise<GetMessage> {
      const messageId = randomUUID();
      await edge.publish({ value: 'next' }, { messageId, type: TYPE });
      expect(await edge.handled(messageId)).toHaveLength(1);
      const copy = await fixture.client.takeOne(DLQ);
      await edge.settled();
      expect(await fixture.client.messageCount(DLQ)).toBe(0);
      return copy;
    },
  };
  return edge;
}
