import { deferred, flush, message, setup } from './queue-consumer.fixture';
import type { Settlement } from './settlement';

describe('QueueConsumer: reconnecting and re-attaching', () => {
  it('settles a delivery on the channel it came from, even after a reconnect', async () => {
    const outcome = deferred<Settlement>();
    const { connect } = setup(() => outcome.promise);
    const first = await connect();
    const delivery = message();
    first.deliver(delivery);
    first.emit('close');
    const second = await connect();
    outcome.resolve('ack');
    await flush();
    expect(first.ack).toHaveBeenCalledWith(delivery);
    expect(second.ack).not.toHaveBeenCalled();
  });

  it('tracks isConsuming through channel close and reconnect', async () => {
    const { consumer, connect } = setup();
    const first = await connect();
    first.emit('close');
    expect(consumer.isConsuming).toBe(false);
    const second = await connect();
    expect(consumer.isConsuming).toBe(true);
    second.emit('close');
    expect(consumer.isConsuming).toBe(false);
  });

  it('ignores a late close of the channel it has already replaced', async () => {
    const { consumer, connect } = setup();
    const first = await connect();
    await connect();
    first.emit('close');
    expect(consumer.isConsuming).toBe(true);
  });

  it('reports itself detached when the broker cancels it, and re-attaches a moment later', async () => {
    jest.useFakeTimers();
    try {
      const { consumer, connect } = setup();
      const channel = await connect();
      channel.deliver(null);
      expect(consumer.isConsuming).toBe(false);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(channel.consume).toHaveBeenCalledTimes(2);
      expect(consumer.isConsuming).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps trying to re-attach, backing off, while the queue cannot be declared', async () => {
    jest.useFakeTimers();
    try {
      const { consumer, connect, declare, logger } = setup();
      const channel = await connect();
      const listening = channel.listenerCount('close');
      // The node holding the queue is down: its declare fails twice, then the node is back.
      const down = new Error('NOT_FOUND - home node of queue is down');
      declare.mockRejectedValueOnce(down).mockRejectedValueOnce(down);
      channel.deliver(null);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(logger.error).toHaveBeenLastCalledWith(
        'Could not re-attach to notification.deliver: NOT_FOUND - home node of queue is down; trying again in 2000 ms',
      );
      await jest.advanceTimersByTimeAsync(2_000);
      expect(consumer.isConsuming).toBe(false);
      await jest.advanceTimersByTimeAsync(4_000);
      expect(declare).toHaveBeenCalledTimes(4);
      expect(consumer.isConsuming).toBe(true);
      // Attached again: nothing of the re-attaching is left on the channel.
      expect(channel.listenerCount('close')).toBe(listening);
    } finally {
      jest.useRealTimers();
    }
  });

  it('leaves re-attaching to the reopened channel once the cancelled one closes', async () => {
    jest.useFakeTimers();
    try {
      const { connect, declare } = setup();
      const channel = await connect();
      declare.mockRejectedValueOnce(new Error('NOT_FOUND'));
      channel.deliver(null);
      await jest.advanceTimersByTimeAsync(1_000);
      channel.emit('close');
      await jest.advanceTimersByTimeAsync(60_000);
      expect(declare).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
