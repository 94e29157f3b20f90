import { randomUUID } from 'node:crypto';
import { replayMessages } from '../src/commands/replay.command';
import { DLQ, idsIn, QUEUE } from './dead-letter.fixture';
import {
  context,
  countIn,
  deadLetter,
  fixture,
  printed,
  REPLAYED_AT,
  take,
  useDlqCommands,
} from './dlq.fixture';

const BOOKKEEPING = [
  'x-error',
  'x-attempts',
  'x-attempt',
  'x-failed-at',
  'x-source-queue',
  'x-last-error',
  'x-death',
];

describe('dlq commands against a real broker: replaying messages to their source queue', () => {
  useDlqCommands('dlq-cli-replaying');

  it('replays only the chosen message, same id, correlation kept, bookkeeping gone', async () => {
    const [first, chosen, last] = [await deadLetter(), await deadLetter(), await deadLetter()];
    await replayMessages(context(), QUEUE, { all: false, ids: [chosen.messageId!] });
    expect(printed).toEqual([
      `replayed ${chosen.messageId} (order.created) to ${QUEUE}`,
      `Replayed 1 message(s) from ${DLQ} to ${QUEUE}`,
    ]);
    const [replayed] = await take(QUEUE, 1);
    expect(replayed.properties).toMatchObject({
      messageId: chosen.messageId,
      type: 'order.created',
      timestamp: 1_700_000_000,
      contentType: 'application/json',
      appId: 'order',
      correlationId: 'amqp-correlation',
      deliveryMode: 2,
    });
    // The quorum queue adds its own x-delivery-count on delivery.
    const headers = { ...replayed.properties.headers };
    delete headers['x-delivery-count'];
    expect(headers).toEqual({
      'x-correlation-id': `corr-${chosen.orderId}`,
      'x-causation-id': `cause-${chosen.orderId}`,
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'starter=1',
      'x-custom': 'kept',
      'x-replayed-at': REPLAYED_AT.toISOString(),
    });
    expect(JSON.parse(replayed.content.toString())).toEqual({
      orderId: chosen.orderId,
      total: 2800,
    });
    expect(await countIn(QUEUE)).toBe(0);
    expect(idsIn(await take(DLQ, 2))).toEqual([first.messageId, last.messageId]);
  });

  it('replays them all, those without an id and those the broker dead-lettered too', async () => {
    const sent = [await deadLetter(), await deadLetter('anonymous', false)];
    const rejected = await fixture.brokerDeadLetter();
    expect(await countIn(DLQ)).toBe(3);
    await replayMessages(context(), DLQ, { all: true });
    expect(printed).toContain(`replayed (none) (order.created) to ${QUEUE}`);
    expect(printed.at(-1)).toBe(`Replayed 3 message(s) from ${DLQ} to ${QUEUE}`);
    expect(await countIn(DLQ)).toBe(0);
    const back = await take(QUEUE, 3);
    expect(idsIn(back)).toEqual([sent[0].messageId, undefined, rejected]);
    for (const message of back) {
      const names = Object.keys(message.properties.headers ?? {});
      expect(
        names.filter((name) => BOOKKEEPING.includes(name) || /^x-(first|last)-death-/.test(name)),
      ).toEqual([]);
    }
  });

  it('replays a message the broker dead-lettered without a type under the type its consumer read', async () => {
    const messageId = await fixture.brokerDeadLetter('order.paid');
    await replayMessages(context(), DLQ, { all: false, ids: [messageId] });
    expect(printed).toContain(`replayed ${messageId} (order.paid) to ${QUEUE}`);
    const [back] = await take(QUEUE, 1);
    // Through the default exchange its routing key is the queue's name, not the event's.
    expect(back.properties).toMatchObject({ messageId, type: 'order.paid' });
  });

  it('leaves a message whose source queue is gone in the dead-letter queue, and fails', async () => {
    const { messageId } = await deadLetter();
    await fixture.deleteQueue(QUEUE);
    await expect(replayMessages(context(), QUEUE, { all: true })).rejects.toThrow(
      `1 message(s) could not be replayed and stay in ${DLQ}`,
    );
    expect(printed).toEqual([
      `not replayed ${messageId}: no queue ${QUEUE} took it (unroutable); it stays in ${DLQ}`,
      `Replayed 0 message(s) from ${DLQ}`,
    ]);
    expect(idsIn(await take(DLQ, 1))).toEqual([messageId]);
  });

  it('does not follow an x-source-queue naming another queue: the message stays, and it fails', async () => {
    const other = 'order.payment-results';
    await fixture.declare(other);
    const messageId = randomUUID();
    await fixture.client.publish(
      '',
      DLQ,
      { forged: true },
      {
        messageId,
        type: 'order.created',
        headers: { 'x-source-queue': other, 'x-error': 'forged' },
      },
    );
    await expect(replayMessages(context(), QUEUE, { all: true })).rejects.toThrow(
      `1 message(s) could not be replayed and stay in ${DLQ}`,
    );
    expect(printed[0]).toBe(
      `not replayed ${messageId}: its x-source-queue names ${other}, but ${DLQ} collects for ${QUEUE}; it stays in ${DLQ}`,
    );
    expect(await countIn(other)).toBe(0);
    expect(idsIn(await take(DLQ, 1))).toEqual([messageId]);
  });

  it('leaves a message whose source queue is full in the dead-letter queue, saying so', async () => {
    const { messageId } = await deadLetter();
    await fixture.deleteQueue(QUEUE);
    try {
      await fixture.declareFull(QUEUE);
      await expect(replayMessages(context(), QUEUE, { all: true })).rejects.toThrow(
        `1 message(s) could not be replayed and stay in ${DLQ}`,
      );
      expect(printed[0]).toBe(
        `not replayed ${messageId}: the broker refused it (is ${QUEUE} full?); it stays in ${DLQ}`,
      );
      expect(idsIn(await take(DLQ, 1))).toEqual([messageId]);
    } finally {
      // Declared bounded here: the next test's reset declares it as the services do.
      await fixture.deleteQueue(QUEUE);
    }
  });
});
