import { EVENTS_EXCHANGE } from '@app/contracts';
import { connectFirstNode, declareEventLog, declareExchanges } from '@app/messaging';
import { isolate, type Isolation, managementEndpoint, testSettings, waitFor } from '@app/testing';
import type { Channel, ChannelModel, GetMessage } from 'amqplib';
import { boundEventTypes } from '../src/broker/bound-types';
import { type ReplayContext, type ReplayRequest, replayEvents } from '../src/replay.command';

const QUEUE = 'shop.order-events';
const REPLAYED_AT = new Date('2026-02-03T04:05:06.007Z');

/** Four events as the services publish them, an hour apart in their own time. */
const HISTORY = [
  { id: 'e-1', type: 'order.created', at: '2026-01-01T10:00:00Z' },
  { id: 'e-2', type: 'payment.failed', at: '2026-01-01T11:00:00Z' },
  { id: 'e-3', type: 'order.paid', at: '2026-01-01T12:00:00Z' },
  { id: 'e-4', type: 'order.created', at: '2026-01-01T13:00:00Z' },
];

/** The management API with its credentials in the URL, as RABBITMQ_MANAGEMENT_URL gives it. */
function managementUrl(): string {
  const { base } = managementEndpoint();
  const url = new URL(testSettings.managementUrl ?? base);
  if (!url.username) url.username = url.password = 'guest';
  return url.toString();
}

describe('npm run replay against a real broker', () => {
  let isolation: Isolation;
  let connection: ChannelModel;
  let admin: Channel;
  let printed: string[];

  const context = (inboxRetentionHours: number): ReplayContext => ({
    connection,
    line: (text) => printed.push(text),
    boundTypes: (queue) => boundEventTypes(managementUrl(), isolation.vhost, queue),
    inboxRetentionHours,
    now: () => REPLAYED_AT,
  });
  /** The history is a month old at REPLAYED_AT: a year's inbox still remembers it. */
  const replay = (request: Partial<ReplayRequest>, inboxRetentionHours = 24 * 365) =>
    replayEvents(context(inboxRetentionHours), { queue: QUEUE, dryRun: false, ...request });

  async function drain(): Promise<GetMessage[]> {
    const taken: GetMessage[] = [];
    for (let message = await admin.get(QUEUE); message; message = await admin.get(QUEUE)) {
      admin.ack(message);
      taken.push(message);
    }
    return taken;
  }

  beforeAll(async () => {
    isolation = await isolate('replay');
    ({ connection } = await connectFirstNode(isolation.env.RABBITMQ_URL));
    admin = await connection.createConfirmChannel();
    await declareExchanges(admin);
    await declareEventLog(admin, '1D');
    await admin.assertQueue(QUEUE, { durable: true });
    for (const type of ['order.created', 'order.paid']) {
      await admin.bindQueue(QUEUE, EVENTS_EXCHANGE, type);
    }
    for (const event of HISTORY) {
      admin.publish(EVENTS_EXCHANGE, event.type, Buffer.from(JSON.stringify({ n: event.id })), {
        messageId: event.id,
        type: event.type,
        timestamp: Date.parse(event.at) / 1000,
        persistent: true,
        headers: { 'x-correlation-id': `corr-${event.id}` },
      });
    }
    await (admin as unknown as { waitForConfirms(): Promise<void> }).waitForConfirms();
    await waitFor(async () => (await drain()).length === 0 || undefined, {
      description: 'the live copies taken out of the queue',
    });
  });

  beforeEach(async () => {
    printed = [];
    await admin.purgeQueue(QUEUE);
  });

  afterAll(async () => {
    await connection?.close();
    await isolation?.dispose();
  });

  it('re-delivers the chosen types in log order, with their ids and headers, marked replayed', async () => {
    await replay({ types: ['order.created', 'order.paid'] });
    const copies = await drain();
    expect(copies.map((copy) => copy.properties.messageId)).toEqual(['e-1', 'e-3', 'e-4']);
    expect(copies[1].properties).toMatchObject({
      type: 'order.paid',
      timestamp: Date.parse(HISTORY[2].at) / 1000,
      deliveryMode: 2,
      headers: { 'x-correlation-id': 'corr-e-3', 'x-replayed-at': REPLAYED_AT.toISOString() },
    });
    expect(copies[1].properties.headers).not.toHaveProperty('x-stream-offset');
    expect(JSON.parse(copies[1].content.toString())).toEqual({ n: 'e-3' });
    expect(printed.at(-1)).toBe(
      `Replayed 3 event(s) into ${QUEUE} (order.created 2, order.paid 1); 4 event(s) of events.log read`,
    );
  });

  it('without --type, replays the types the queue is bound to', async () => {
    await replay({});
    expect((await drain()).map((copy) => copy.properties.messageId)).toEqual(['e-1', 'e-3', 'e-4']);
  });

  it('keeps to the window of --since and --until, by the time each event happened', async () => {
    await replay({
      types: ['order.created', 'order.paid'],
      since: new Date('2026-01-01T10:30:00Z'),
      until: new Date('2026-01-01T12:00:00Z'),
    });
    expect((await drain()).map((copy) => copy.properties.messageId)).toEqual(['e-3']);
  });

  it('refuses a named type the queue is not bound to, sending nothing', async () => {
    await expect(replay({ types: ['order.paid', 'payment.failed'] })).rejects.toThrow(
      `${QUEUE} is not bound to payment.failed on the events exchange: its consumers have no handler for them and would dead-letter each; nothing was replayed`,
    );
    expect(await drain()).toEqual([]);
  });

  it('says which named type no event read had, beside the types it read, when it cannot ask the bindings', async () => {
    const unanswered = () => Promise.reject(new Error('management API unreachable'));
    await replayEvents(
      { ...context(24 * 365), boundTypes: unanswered },
      { queue: QUEUE, dryRun: false, types: ['order.payed', 'order.paid'] },
    );
    expect((await drain()).map((copy) => copy.properties.messageId)).toEqual(['e-3']);
    expect(printed[0]).toBe(`Not checked against ${QUEUE}'s bindings: management API unreachable`);
    expect(printed.at(-1)).toBe(
      'No event read was of type order.payed; the types read: order.created, order.paid, payment.failed',
    );
  });

  it('lists what it would replay on --dry-run, and sends nothing', async () => {
    await replay({ types: ['order.paid'], dryRun: true });
    expect(await drain()).toEqual([]);
    expect(printed).toContainEqual(
      expect.stringMatching(/offset 2 {2}2026-01-01T12:00:00.000Z {2}order.paid {2}e-3$/),
    );
    expect(printed.at(-1)).toMatch(/^Would replay 1 event\(s\) into shop.order-events/);
  });

  it('passes over events older than the inbox retention, and says how to send them too', async () => {
    await replay({ types: ['order.created', 'order.paid'] }, 720);
    expect(await drain()).toEqual([]);
    expect(printed.slice(-2)).toEqual([
      `Replayed 0 event(s) into ${QUEUE} (none); 4 event(s) of events.log read`,
      "Passed over 3 event(s) older than INBOX_RETENTION_HOURS (720 h): their consumers' inboxes may have forgotten them, so a handler would run again; set it higher for this run to send them too",
    ]);
  });

  it.each([
    ['named types', { types: ['order.paid'] }],
    ['the types it is bound to', {}],
    ['a dry run', { types: ['order.paid'], dryRun: true }],
  ])('refuses a queue that does not exist, sending nothing: %s', async (_, request) => {
    await expect(replay({ queue: 'shop.typo', ...request })).rejects.toThrow(
      'queue shop.typo does not exist; nothing was replayed',
    );
  });

  // Last in this suite: the events it appends stay in the log for any test after it.
  it('finishes while events keep being appended, replaying what was there when it began', async () => {
    const traffic = setInterval(() => {
      admin.publish(EVENTS_EXCHANGE, 'payment.failed', Buffer.from('{}'), {
        messageId: `live-${Date.now()}`,
        type: 'payment.failed',
        persistent: true,
      });
    }, 100);
    try {
      await replay({ types: ['order.paid'] });
    } finally {
      clearInterval(traffic);
    }
    expect((await drain()).map((copy) => copy.properties.messageId)).toEqual(['e-3']);
    expect(printed.at(-1)).toMatch(/^Replayed 1 event\(s\) into shop.order-events/);
  });

  // After the appending test, appending too: order.paid as a client without a type property
  // publishes it, and one whose type claims order.paid while routed as payment.refunded.
  it('types an untyped event by its routing key, and passes over one typed as another', async () => {
    const at = Date.parse('2026-01-01T14:00:00Z') / 1000;
    const body = Buffer.from('{}');
    admin.publish(EVENTS_EXCHANGE, 'order.paid', body, { messageId: 'e-5', timestamp: at });
    admin.publish(EVENTS_EXCHANGE, 'payment.refunded', body, {
      messageId: 'e-6',
      type: 'order.paid',
      timestamp: at,
    });
    await (admin as unknown as { waitForConfirms(): Promise<void> }).waitForConfirms();
    await waitFor(async () => (await drain()).length > 0 || undefined, {
      description: 'the live copy of e-5 taken out of the queue',
    });

    await replay({ types: ['order.paid'] });

    const copies = await drain();
    expect(copies.map((copy) => [copy.properties.messageId, copy.properties.type])).toEqual([
      ['e-3', 'order.paid'],
      ['e-5', 'order.paid'],
    ]);
    expect(printed).toContain(
      'Passed over 1 event(s) whose type is not their routing key: the consumers refused them when they were published',
    );
  });
});
