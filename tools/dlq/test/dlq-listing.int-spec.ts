import { listMessages, listQueues } from '../src/commands/list.command';
import { DLQ, idsIn, QUEUE } from './dead-letter.fixture';
import {
  context,
  countIn,
  deadLetter,
  fixture,
  output,
  printed,
  take,
  useDlqCommands,
} from './dlq.fixture';

describe('dlq commands against a real broker: listing queues and messages', () => {
  useDlqCommands('dlq-cli-listing');

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
});
