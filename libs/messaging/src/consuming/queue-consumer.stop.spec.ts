import { deferred, flush, message, setup } from './queue-consumer.fixture';
import type { Settlement } from './settlement';

describe('QueueConsumer: stopping', () => {
  it('on stop, cancels the consumer and waits for work in flight before closing', async () => {
    const outcome = deferred<Settlement>();
    const { consumer, connect, wrapper } = setup(() => outcome.promise);
    const channel = await connect();
    const delivery = message();
    channel.deliver(delivery);

    const stopped = consumer.stop(10_000);
    await flush();
    expect(channel.cancel).toHaveBeenCalledWith('tag-1');
    expect(consumer.isConsuming).toBe(false);
    expect(consumer.inFlightCount).toBe(1);
    expect(wrapper.close).not.toHaveBeenCalled();

    outcome.resolve('ack');
    await stopped;
    expect(channel.ack).toHaveBeenCalledWith(delivery);
    expect(wrapper.close).toHaveBeenCalledTimes(1);
  });

  it('stops waiting for stuck work at the timeout', async () => {
    jest.useFakeTimers();
    try {
      const { consumer, connect, wrapper } = setup(() => new Promise<Settlement>(() => undefined));
      (await connect()).deliver(message());
      const stopped = consumer.stop(500);
      await jest.advanceTimersByTimeAsync(499);
      expect(wrapper.close).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      await stopped;
      expect(wrapper.close).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not consume again when the channel reconnects after stop', async () => {
    const { consumer, connect } = setup();
    await connect();
    await consumer.stop(100);
    const channel = await connect();
    expect(channel.consume).not.toHaveBeenCalled();
    expect(consumer.isConsuming).toBe(false);
  });
});
