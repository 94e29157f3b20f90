import { listMessages } from '../src/commands/list.command';
import { showMessages } from '../src/commands/show.command';
import { DlqError } from '../src/dlq.errors';
import { DLQ, QUEUE } from './dead-letter.fixture';
import { context, countIn, deadLetter, output, printed, useDlqCommands } from './dlq.fixture';

describe('dlq commands against a real broker: showing messages', () => {
  useDlqCommands('dlq-cli-showing');

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
});
