import { isolate, type Isolation } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { DlqBrowser } from '../src/broker/dlq.browser';
import type { CommandContext } from '../src/commands/command.context';
import { listMessages, listQueues } from '../src/commands/list.command';
import { purgeMessages } from '../src/commands/purge.command';
import { replayMessages } from '../src/commands/replay.command';
import { showMessages } from '../src/commands/show.command';
import { DlqError } from '../src/dlq.errors';
import { terminalOutput } from '../src/dlq.output';
import { DeadLetterFixture, DLQ, idsIn, QUEUE } from './dead-letter.fixture';

const REPLAYED_AT = new Date('2025-05-06T07:08:09.010Z');

const BOOKKEEPING = [
  'x-error',
  'x-attempts',
  'x-attempt',
  'x-failed-at',
  'x-source-queue',
  'x-last-error',
  'x-death',
];

describe('dlq commands against a real broker', () => {
  let isolation: Isolation;
  let fixture: DeadLetterFixture;
  let browser: DlqBrowser;
  let printed: string[];

  const context = (): CommandContext => ({
    browser,
    out: terminalOutput((text) => printed.push(text.slice(0, -1))),
    now: () => REPLAYED_AT,
  });
  const output = () => printed.join('\n');
  const deadLetter = (error?: string, withId?: boolean) => fixture.deadLetter(error, withId);
  const countIn = (queue: string) => fixture.client.messageCount(queue);
  const take = (queue: string, count: number) => fixture.client.take(queue, count);

  beforeAll(async () => {
    isolation = await isolate('dlq-cli');
    fixture = await DeadLetterFixture.open(isolation.env.RABBITMQ_URL);
    browser = await DlqBrowser.connect(isolation.env.RABBITMQ_URL);
  });

  beforeEach(async () => {
    printed = [];
    await fixture.reset();
  });

  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
    await isolation?.dispose();
  });

  it('lists every dead-letter queue of the services, declared or not', async () => {
    await fixture.declare('payment.order-created');
    await fixture.client.publish('', 'payment.order-created.dlq', { any: 1 }, { messageId: 'p-1' });
    await listQueues(context());
    expect(printed[0]).toMatch(/^DEAD-LETTER QUEUE\s+SERVICE\s+MESSAGES$/);
    expect(output()).toMatch(/^payment\.order-created\.dlq\s+payment\s+1$/m);
    expect(output()).toMatch(/^order\.payment-results\.dlq\s+order\s+not declared$/m);
    expect(output()).toMatch(/^notification\.deliver\.dlq\s+notification\s+not declared$/m);
  });

  it('lists the messages of a dead-letter queue and leaves them all in place, in order', async () => {
    const sent = [await deadLetter('first failure'), await deadLetter('x'.repeat(300))];
    const anonymous = await deadLetter('no id', false);
    expect(anonymous.messageId).toBeUndefined();
    await listMessages(context(), QUEUE);
    expect(printed[0]).toBe(`${DLQ}: 3 message(s)`);
    expect(printed[1]).toMatch(
      /^MESSAGE ID\s+TYPE\s+FAILED AT \(UTC\)\s+ATTEMPTS\s+SOURCE QUEUE\s+ERROR$/,
    );
    expect(printed[2]).toMatch(
      new RegExp(
        `^${sent[0].messageId}\\s+order\\.created\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+3\\s+${QUEUE}\\s+first failure`,
      ),
    );
    expect(printed[3]).toMatch(/x…$/);
    expect(printed[4]).toMatch(/^\(none\)\s+order\.created/);
    expect(printed.every((line) => line.length <= 120)).toBe(true);
    expect(await countIn(DLQ)).toBe(3);
    const left = await take(DLQ, 3);
    expect(idsIn(left)).toEqual([sent[0].messageId, sent[1].messageId, undefined]);
  });

  it('shows at most --limit messages and says how many more there are', async () => {
    for (let i = 0; i < 3; i += 1) await deadLetter();
    await listMessages(context(), DLQ, 2);
    expect(printed).toHaveLength(5);
    expect(printed[4]).toBe('… and 1 more (--limit 3 shows all)');
    expect(await countIn(DLQ)).toBe(3);
  });

  it('says an empty dead-letter queue is empty', async () => {
    await listMessages(context(), QUEUE);
    expect(printed).toEqual([`${DLQ} is empty`]);
  });

  it('shows the properties, every header and the pretty body of one message', async () => {
    const other = await deadLetter('other');
    const chosen = await deadLetter('the chosen one');
    await showMessages(context(), QUEUE, { all: false, ids: [chosen.messageId!] });
    const text = output();
    expect(printed[0]).toBe(`Message ${chosen.messageId} (2 of 2 in ${DLQ})`);
    expect(text).toMatch(/^ {2}appId\s+order$/m);
    expect(text).toMatch(/^ {2}timestamp\s+2023-11-14T22:13:20\.000Z \(1700000000\)$/m);
    expect(text).toMatch(new RegExp(`^ {2}x-correlation-id\\s+corr-${chosen.orderId}$`, 'm'));
    expect(text).toMatch(/^ {2}x-error\s+the chosen one \(gave up after 3 attempts\)$/m);
    expect(text).toMatch(/^ {2}x-attempts\s+3$/m);
    expect(text).toContain(`Body (JSON, `);
    expect(text).toContain(`{\n  "orderId": "${chosen.orderId}",\n  "total": 2800\n}`);
    expect(text).not.toContain(other.orderId);
    expect(await countIn(DLQ)).toBe(2);
  });

  it("prints a publisher's terminal controls as escapes, in the list and in a message shown", async () => {
    // OSC 52 would set the operator's clipboard; CSI 2J would clear the screen.
    const hostile = await deadLetter('\u001b]52;c;cm0gLXJmIH4=\u0007 \u009b2J');
    await listMessages(context(), QUEUE);
    await showMessages(context(), QUEUE, { all: false, ids: [hostile.messageId!] });
    expect(['\u001b', '\u0007', '\u009b'].filter((control) => output().includes(control))).toEqual(
      [],
    );
    const escaped = '\\u001b]52;c;cm0gLXJmIH4=\\u0007 \\u009b2J';
    // The list's error column (cut to the table's width), the show's x-last-error and x-error.
    expect(printed.filter((line) => line.includes(escaped.slice(0, 12)))).toHaveLength(3);
    expect(printed.filter((line) => line.includes(escaped))).toHaveLength(2);
  });

  it('fails to show an id that is not there, leaving the queue as it was', async () => {
    await deadLetter();
    await expect(showMessages(context(), QUEUE, { all: false, ids: ['nope'] })).rejects.toThrow(
      new DlqError(`no message with id nope in ${DLQ}`),
    );
    expect(await countIn(DLQ)).toBe(1);
  });

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

  it('purges only the chosen message and sends nothing anywhere', async () => {
    const [kept, chosen] = [await deadLetter(), await deadLetter('poison')];
    await purgeMessages(context(), QUEUE, { all: false, ids: [chosen.messageId!] });
    expect(printed).toEqual([
      `removed ${chosen.messageId} (order.created): poison (gave up after 3 attempts)`,
      `Purged 1 message(s) from ${DLQ}`,
    ]);
    expect(idsIn(await take(DLQ, 1))).toEqual([kept.messageId]);
    expect(await countIn(DLQ)).toBe(0);
    expect(await countIn(QUEUE)).toBe(0);
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

  it('names a queue that does not exist, and keeps working after the refused lookup', async () => {
    await expect(listMessages(context(), 'no-such-queue')).rejects.toThrow(
      /^queue no-such-queue\.dlq \(the dead-letter queue of no-such-queue\) does not exist on amqp:/,
    );
    await expect(
      replayMessages(context(), 'no-such-queue.dlq', { all: true }),
    ).rejects.toBeInstanceOf(DlqError);
    await deadLetter();
    await listMessages(context(), QUEUE);
    expect(printed[0]).toBe(`${DLQ}: 1 message(s)`);
  });

  describe('with the nodes of a cluster in RABBITMQ_URL', () => {
    /** The same account on a port where no broker listens: a node that is down. */
    const downNode = () => {
      const url = new URL(isolation.env.RABBITMQ_URL);
      url.port = '1';
      return url.toString();
    };

    it('connects to the first node that answers', async () => {
      const nodes = `${downNode()},${isolation.env.RABBITMQ_URL}`;
      const clusterBrowser = await DlqBrowser.connect(nodes);
      try {
        await deadLetter();
        await listMessages({ ...context(), browser: clusterBrowser }, QUEUE);
        expect(printed[0]).toBe(`${DLQ}: 1 message(s)`);
      } finally {
        await clusterBrowser.close();
      }
    });

    it('names every node it tried, without the password, when none answers', async () => {
      const attempt = DlqBrowser.connect(`${downNode()},${downNode().replace(':1/', ':2/')}`);
      await expect(attempt).rejects.toThrow(
        /^cannot connect to RabbitMQ at amqp:\/\/[^:@]+@[^:/@]+:1\/.*; at amqp:\/\/[^:@]+@[^:/@]+:2\//,
      );
      await expect(attempt).rejects.toBeInstanceOf(DlqError);
    });
  });
});
