import type { ChannelModel, GetMessage } from 'amqplib';
import { FetchedMessages } from './fetched.messages';

type Confirm = (error: Error | null) => void;

/** A confirm channel holding `count` messages, whose publishes answer with `confirm`. */
function fakeConnection(count: number, confirm: (callback: Confirm) => void) {
  const waiting = Array.from({ length: count }, (_, index) => ({ index }) as unknown as GetMessage);
  const channel = {
    on: jest.fn(),
    get: jest.fn(() => Promise.resolve(waiting.shift() ?? false)),
    publish: jest.fn((...args: unknown[]) => {
      confirm(args[4] as Confirm);
      return true;
    }),
    ack: jest.fn(),
    nackAll: jest.fn(),
    close: jest.fn(() => Promise.resolve()),
  };
  const connection = { createConfirmChannel: () => Promise.resolve(channel) };
  return { connection: connection as unknown as ChannelModel, channel };
}

describe('FetchedMessages', () => {
  it('names a full queue when the broker nacks the copy', async () => {
    const { connection } = fakeConnection(1, (done) => done(new Error('message nacked')));
    const fetched = await FetchedMessages.take(connection, 'q.dlq', 10);
    await expect(fetched.publish('q', Buffer.from('{}'), {})).rejects.toThrow(
      'the broker refused it (is q full?)',
    );
  });

  it('says the copy may have arrived when the channel closed before its confirm', async () => {
    const { connection } = fakeConnection(1, (done) => done(new Error('channel closed')));
    const fetched = await FetchedMessages.take(connection, 'q.dlq', 10);
    await expect(fetched.publish('q', Buffer.from('{}'), {})).rejects.toThrow(
      'no confirm (channel closed): the copy may be in q all the same',
    );
  });

  it('fails the run when the channel closes badly after messages were removed', async () => {
    const { connection, channel } = fakeConnection(2, (done) => done(null));
    channel.close.mockRejectedValue(new Error('Channel closed'));
    const fetched = await FetchedMessages.take(connection, 'q.dlq', 10);
    await fetched.release(); // nothing removed: the broker puts everything back either way

    fetched.remove(fetched.messages[0]);
    await expect(fetched.release()).rejects.toThrow(
      'the channel to q.dlq closed before the broker confirmed the removal of 1 message(s) (Channel closed): some may still be there; look with list',
    );
  });
});
