import type { Channel } from 'amqplib';
import { assertQueueOrKeep } from './queue-declaration';

/** A channel whose assertQueue answers as the broker would: ok, or closed with a reply code. */
function spareChannel(reply?: { code: number; message: string }) {
  const channel = {
    closed: false,
    on: jest.fn(),
    assertQueue: jest.fn(() =>
      reply ? Promise.reject(Object.assign(new Error(reply.message), reply)) : Promise.resolve({}),
    ),
    close: jest.fn(() => {
      channel.closed = true;
      return Promise.resolve();
    }),
  };
  return channel;
}

const mainChannel = () => ({ assertQueue: jest.fn(() => Promise.resolve({})) });
const options = { durable: true, arguments: { 'x-queue-type': 'quorum' } };

describe('assertQueueOrKeep', () => {
  it('asserts on the given channel when no spare channel can be opened', async () => {
    const main = mainChannel();
    await assertQueueOrKeep(main as unknown as Channel, 'q', options, {});
    expect(main.assertQueue).toHaveBeenCalledWith('q', options);
  });

  it('asserts on a spare channel, closed afterwards, leaving the given one alone', async () => {
    const main = mainChannel();
    const spare = spareChannel();
    await assertQueueOrKeep(main as unknown as Channel, 'q', options, {
      openSpareChannel: () => Promise.resolve(spare as unknown as Channel),
    });
    expect(spare.assertQueue).toHaveBeenCalledWith('q', options);
    expect(spare.closed).toBe(true);
    expect(main.assertQueue).not.toHaveBeenCalled();
  });

  it('keeps a queue declared with other arguments (406), with a warning', async () => {
    const warn = jest.fn();
    const spare = spareChannel({ code: 406, message: 'PRECONDITION_FAILED - inequivalent arg' });
    await assertQueueOrKeep(mainChannel() as unknown as Channel, 'q', options, {
      openSpareChannel: () => Promise.resolve(spare as unknown as Channel),
      warn,
    });
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Queue q exists with other arguments than declared; using it as it is/,
      ),
    );
    expect(spare.closed).toBe(true);
  });

  it('skips an optional queue whose node is down (404) with a warning, not a required one', async () => {
    const down = { code: 404, message: 'NOT_FOUND - home node is down or inaccessible' };
    const warn = jest.fn();
    const open = () => Promise.resolve(spareChannel(down) as unknown as Channel);
    const main = mainChannel() as unknown as Channel;
    await assertQueueOrKeep(main, 'q.dlq', options, { openSpareChannel: open, warn }, true);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^Queue q.dlq is not available/));
    await expect(
      assertQueueOrKeep(main, 'q', options, { openSpareChannel: open, warn }),
    ).rejects.toThrow('NOT_FOUND');
  });
});
