import type { ConfirmChannel } from 'amqplib';
import { keepConfirmsAligned } from './confirm-alignment';

const UNENCODABLE = { messageId: 'B'.repeat(256) };

/** amqplib's shape: the callback is queued first, then the frames are encoded (and may throw). */
class FakeConfirmChannel {
  unconfirmed: unknown[] = [];
  sent: string[] = [];

  publish(_exchange: string, routingKey: string, _content: Buffer, options: object, cb?: unknown) {
    this.unconfirmed.push(cb ?? false);
    if (options === UNENCODABLE) throw new TypeError('Field messageId is the wrong type');
    this.sent.push(routingKey);
    return true;
  }
}

const aligned = () => {
  const fake = new FakeConfirmChannel();
  return { fake, channel: keepConfirmsAligned(fake as unknown as ConfirmChannel) };
};

describe('keepConfirmsAligned', () => {
  it('takes back the callback of a publish that throws and fails it through that callback', () => {
    const { fake, channel } = aligned();
    const callback = jest.fn();
    expect(channel.publish('', 'q', Buffer.alloc(0), UNENCODABLE, callback)).toBe(true);
    expect(callback).toHaveBeenCalledWith(expect.any(TypeError), {});
    expect(fake.unconfirmed).toEqual([]);
  });

  it('leaves the callbacks of good publishes queued, in order', () => {
    const { fake, channel } = aligned();
    const [first, failed, second] = [jest.fn(), jest.fn(), jest.fn()];
    channel.publish('', 'a', Buffer.alloc(0), {}, first);
    channel.publish('', 'b', Buffer.alloc(0), UNENCODABLE, failed);
    channel.publish('', 'c', Buffer.alloc(0), {}, second);
    expect(fake.unconfirmed).toEqual([first, second]);
    expect(fake.sent).toEqual(['a', 'c']);
  });

  it('rethrows for a caller that gave no callback, still taking its slot back', () => {
    const { fake, channel } = aligned();
    expect(() => channel.publish('', 'q', Buffer.alloc(0), UNENCODABLE)).toThrow(TypeError);
    expect(fake.unconfirmed).toEqual([]);
  });

  it('wraps a channel once, however often its setup runs', () => {
    const { channel } = aligned();
    const publish = channel.publish;
    expect(keepConfirmsAligned(channel).publish).toBe(publish);
  });
});
