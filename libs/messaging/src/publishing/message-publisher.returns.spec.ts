import { PublishRefusedError, UnroutableMessageError } from '../errors';
import { returned, setup } from './message-publisher.fixture';

describe('MessagePublisher: returned and refused messages', () => {
  it('rejects with UnroutableMessageError when the broker returns the message', async () => {
    const { publisher, wrapper, channel } = await setup();
    wrapper.publish.mockImplementationOnce(() => {
      channel.emit('return', returned('m-lost'));
      return Promise.resolve(true);
    });
    const publishing = publisher.publishRaw('events', 'order.nowhere', Buffer.from('{}'), {
      messageId: 'm-lost',
    });
    await expect(publishing).rejects.toThrow(UnroutableMessageError);
    await expect(publishing).rejects.toMatchObject({
      exchange: 'events',
      routingKey: 'order.nowhere',
    });
  });

  it('rejects with PublishRefusedError, counted as refused, when the broker nacks (a full queue)', async () => {
    const { publisher, wrapper, metrics } = await setup();
    wrapper.publish.mockRejectedValueOnce(new Error('message nacked'));
    const publishing = publisher.publishRaw('events', 'order.paid', Buffer.from('{}'), {
      messageId: 'm-full',
    });
    await expect(publishing).rejects.toThrow(PublishRefusedError);
    await expect(publishing).rejects.toThrow(/a queue it goes to is full \(QUEUE_MAX_LENGTH\)/);
    expect(metrics.messagePublished).toHaveBeenCalledWith('events', 'order.paid', 'refused');
  });

  it('does not blame a later publish of the same message for an earlier return', async () => {
    const { publisher, wrapper, channel } = await setup();
    wrapper.publish.mockImplementationOnce(() => {
      channel.emit('return', returned('m-1'));
      return Promise.resolve(true);
    });
    const send = () =>
      publisher.publishRaw('events', 'order.paid', Buffer.from('{}'), { messageId: 'm-1' });
    await expect(send()).rejects.toThrow(UnroutableMessageError);
    await expect(send()).resolves.toBeUndefined();
  });

  it('fails both copies of one message in flight at once when both are returned', async () => {
    // A row sent again while its first copy, given up on, still waits for its confirm: both
    // returns may arrive before either confirm. One remembered return would let one copy pass.
    const { publisher, wrapper, channel } = await setup();
    const confirms: (() => void)[] = [];
    wrapper.publish.mockImplementation(
      () => new Promise<boolean>((resolve) => confirms.push(() => resolve(true))),
    );
    const send = () =>
      publisher.publishRaw('events', 'order.paid', Buffer.from('{}'), { messageId: 'm-1' });
    const first = send();
    const second = send();
    channel.emit('return', returned('m-1'));
    channel.emit('return', returned('m-1'));
    for (const confirm of confirms) confirm();

    await expect(first).rejects.toThrow(UnroutableMessageError);
    await expect(second).rejects.toThrow(UnroutableMessageError);
  });

  it('forgets a return when the publish itself failed', async () => {
    const { publisher, wrapper, channel } = await setup();
    wrapper.publish.mockImplementationOnce(() => {
      channel.emit('return', returned('m-1'));
      return Promise.reject(new Error('timeout'));
    });
    const send = () =>
      publisher.publishRaw('events', 'order.paid', Buffer.from('{}'), { messageId: 'm-1' });
    await expect(send()).rejects.toThrow('timeout');
    await expect(send()).resolves.toBeUndefined();
  });

  it('detects the return of a copy that had no messageId, by giving it one', async () => {
    const { publisher, wrapper, channel } = await setup();
    wrapper.publish.mockImplementationOnce((_exchange, _key, _content, options) => {
      channel.emit('return', returned(String(options.messageId)));
      return Promise.resolve(true);
    });
    await expect(
      publisher.publishRaw('', 'q.dlq', Buffer.from('{}'), { headers: { 'x-error': 'why' } }),
    ).rejects.toBeInstanceOf(UnroutableMessageError);
  });

  it('only fails the publish whose message was returned', async () => {
    const { publisher, wrapper, channel } = await setup();
    wrapper.publish.mockImplementationOnce(() => {
      channel.emit('return', returned('other'));
      return Promise.resolve(true);
    });
    await expect(
      publisher.publishRaw('events', 'order.paid', Buffer.from('{}'), { messageId: 'mine' }),
    ).resolves.toBeUndefined();
  });
});
