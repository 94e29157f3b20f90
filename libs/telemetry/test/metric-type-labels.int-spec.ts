import { EVENTS_EXCHANGE } from '@app/contracts';
import { deadLetterQueueName } from '@app/messaging';
import { MAX_MESSAGE_TYPE_LABELS, OTHER_MESSAGE_TYPE } from '@app/telemetry';
import {
  AmqpTestClient,
  consumerIdle,
  type IsolatedFixture,
  parseExposition,
  startIsolatedFixture,
  waitFor,
} from '@app/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';

/** Every series of `name` on a /metrics page, by its `type` label, values summed. */
function valuesByType(text: string, name: string): Map<string, number> {
  const byType = new Map<string, number>();
  for (const { name: series, labels, value } of parseExposition(text).samples) {
    if (series === name) byType.set(labels.type, (byType.get(labels.type) ?? 0) + value);
  }
  return byType;
}

/**
 * A message's type is the sender's to choose; the fixture service dead-letters those it has no
 * handler for. Its metrics must not grow a series for each.
 */
describe('GET /metrics: message types a client makes up', () => {
  const QUEUE = 'fixture.events';
  const MADE_UP = MAX_MESSAGE_TYPE_LABELS + 10;
  let fixture: IsolatedFixture;
  let client: AmqpTestClient;

  beforeAll(async () => {
    fixture = await startIsolatedFixture('metric-types');
    ({ client } = fixture);
  });

  afterAll(() => fixture?.dispose());

  it('add no series past the bound, and a handled type keeps its own', async () => {
    // Straight to the queue (the default exchange), where no binding checks the type.
    for (let index = 0; index < MADE_UP; index += 1) {
      await client.publish(
        '',
        QUEUE,
        { value: 'x' },
        { messageId: randomUUID(), type: `made.up-${index}` },
      );
    }
    await waitFor(
      async () =>
        (await client.messageCount(deadLetterQueueName(QUEUE))) === MADE_UP &&
        consumerIdle(fixture.app, QUEUE),
      { description: `${MADE_UP} messages of made-up types dead-lettered` },
    );
    await client.publish(
      EVENTS_EXCHANGE,
      'fixture.recorded',
      { value: 'after them', behaviour: 'succeed' },
      { messageId: randomUUID(), type: 'fixture.recorded', contentType: 'application/json' },
    );
    const text = await waitFor(
      async () => {
        const current = (await request(fixture.app.getHttpServer()).get('/metrics').expect(200))
          .text;
        const handled = valuesByType(current, 'messaging_messages_consumed_total');
        return handled.get('fixture.recorded') === 1 ? current : undefined;
      },
      { description: 'the fixture.recorded message to be counted under its own type' },
    );

    const consumed = valuesByType(text, 'messaging_messages_consumed_total');
    const madeUpLabels = [...consumed.keys()].filter((type) => type.startsWith('made.up-'));
    expect(madeUpLabels.length).toBeLessThan(MAX_MESSAGE_TYPE_LABELS);
    expect(consumed.get(OTHER_MESSAGE_TYPE)).toBe(MADE_UP - madeUpLabels.length);
    expect([...consumed.keys()].sort()).toEqual(
      [...madeUpLabels, OTHER_MESSAGE_TYPE, 'fixture.recorded'].sort(),
    );
    const published = valuesByType(text, 'messaging_messages_published_total');
    expect(published.size).toBeLessThanOrEqual(MAX_MESSAGE_TYPE_LABELS + 1);
    expect(published.get(OTHER_MESSAGE_TYPE)).toBeGreaterThanOrEqual(MADE_UP - madeUpLabels.length);
  });
});
