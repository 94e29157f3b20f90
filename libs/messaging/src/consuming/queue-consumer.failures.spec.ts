import { ClsServiceManager } from 'nestjs-cls';
import { flush, message, setup } from './queue-consumer.fixture';

describe('QueueConsumer: unexpected failures and refused settlements', () => {
  it('rejects, logs and counts a message whose processor failed unexpectedly', async () => {
    const { connect, logger, metrics } = setup(() => Promise.reject(new Error('a bug')));
    const loggedUnder: unknown[] = [];
    logger.error.mockImplementation(() =>
      loggedUnder.push(ClsServiceManager.getClsService().getId()),
    );
    const channel = await connect();
    const delivery = message();
    delivery.properties.messageId = 'm-1';
    delivery.properties.headers = { 'x-correlation-id': 'order-7' };
    channel.deliver(delivery);
    await flush();
    expect(channel.reject).toHaveBeenCalledWith(delivery, false);
    // Logged outside the message's handling, yet under its correlation id, and naming it.
    expect(loggedUnder).toEqual(['order-7']);
    expect(logger.error).toHaveBeenCalledWith(
      'Unexpected failure on notification.deliver with message m-1: a bug; rejecting it so the broker dead-letters it',
    );
    expect(metrics.messageSettled).toHaveBeenCalledWith('notification.deliver', 'q', 'rejected');
  });

  it('logs a settlement the closed channel refused, under the message id when none was sent', async () => {
    const { connect, logger } = setup();
    const loggedUnder: unknown[] = [];
    logger.warn.mockImplementation(() =>
      loggedUnder.push(ClsServiceManager.getClsService().getId()),
    );
    const channel = await connect();
    channel.ack.mockImplementation(() => {
      throw new Error('Channel closed');
    });
    const delivery = message();
    delivery.properties.messageId = 'm-2';
    channel.deliver(delivery);
    await flush();
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not ack message m-2 on notification.deliver: Channel closed',
    );
    expect(loggedUnder).toEqual(['m-2']);
  });

  it('rejects a message whose processing failed unexpectedly, so it reaches the dead-letter queue', async () => {
    const { connect, logger } = setup(() => Promise.reject(new Error('bug in a processor')));
    const channel = await connect();
    const delivery = message();
    channel.deliver(delivery);
    await flush();
    await flush();
    expect(channel.reject).toHaveBeenCalledWith(delivery, false);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('bug in a processor'));
  });

  it('survives an ack on a channel that has closed meanwhile', async () => {
    const { consumer, connect, logger } = setup();
    const channel = await connect();
    channel.ack.mockImplementation(() => {
      throw new Error('Channel closed');
    });
    channel.deliver(message());
    await flush();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('Channel closed'));
    expect(consumer.inFlightCount).toBe(0);
  });
});
