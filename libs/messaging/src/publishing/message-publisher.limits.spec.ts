import { InvalidPublishPropertiesError, MessageTooLargeError } from '../errors';
import { MAX_BYTES, setup } from './message-publisher.fixture';

describe('MessagePublisher: size and property limits', () => {
  it('refuses a new message above MAX_MESSAGE_BYTES before it reaches the broker', async () => {
    const { publisher, wrapper } = await setup();
    const send = publisher.publish({
      messageId: 'big',
      type: 't',
      exchange: 'events',
      routingKey: 'x',
      payload: 'x'.repeat(MAX_BYTES),
      headers: {},
    });
    await expect(send).rejects.toBeInstanceOf(MessageTooLargeError);
    await expect(send).rejects.toThrow('1026 bytes, above the 1024-byte limit (MAX_MESSAGE_BYTES)');
    expect(wrapper.publish).not.toHaveBeenCalled();
  });

  it('still copies an oversized consumed message on, so it can reach its dead-letter queue', async () => {
    const { publisher, wrapper } = await setup();
    await publisher.publishRaw('', 'q.dlq', Buffer.alloc(MAX_BYTES + 1), { messageId: 'big' });
    expect(wrapper.publish).toHaveBeenCalled();
  });

  it('refuses a copy the wire cannot carry before it reaches the channel, counting it failed', async () => {
    const { publisher, wrapper, metrics } = await setup();
    const send = publisher.publishRaw('', 'q.dlq', Buffer.from('{}'), {
      messageId: 'B'.repeat(256),
    });
    await expect(send).rejects.toBeInstanceOf(InvalidPublishPropertiesError);
    expect(wrapper.publish).not.toHaveBeenCalled();
    expect(metrics.messagePublished).toHaveBeenCalledWith('', 'q.dlq', 'failed');
  });

  it('refuses a reply whose headers the encoder cannot hold', async () => {
    const { publisher, wrapper } = await setup();
    const headers = { 'x-correlation-id': 'x'.repeat(100_000) };
    await expect(
      publisher.reply('amq.rabbitmq.reply-to.abc', { headers }, { ok: true }),
    ).rejects.toBeInstanceOf(InvalidPublishPropertiesError);
    expect(wrapper.publish).not.toHaveBeenCalled();
  });

  it('refuses a reply above MAX_MESSAGE_BYTES before the broker sees it', async () => {
    const { publisher, wrapper } = await setup();
    const reply = publisher.reply('amq.rabbitmq.reply-to.abc', {}, { text: 'x'.repeat(MAX_BYTES) });
    await expect(reply).rejects.toBeInstanceOf(MessageTooLargeError);
    expect(wrapper.publish).not.toHaveBeenCalled();
  });
});
