import { purgeMessages } from '../src/commands/purge.command';
import { DLQ, idsIn, QUEUE } from './dead-letter.fixture';
import { context, countIn, deadLetter, printed, take, useDlqCommands } from './dlq.fixture';

describe('dlq commands against a real broker: purging messages', () => {
  useDlqCommands('dlq-cli-purging');

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
});
