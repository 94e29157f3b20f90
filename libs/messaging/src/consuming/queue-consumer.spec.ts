import { flush, message, setup } from './queue-consumer.fixture';

describe('QueueConsumer', () => {
  it('declares its queue, sets its prefetch and consumes with manual acks once connected', async () => {
    const { consumer, connect, declare } = setup();
    expect(consumer.isConsuming).toBe(false);
    const channel = await connect();
    expect(declare).toHaveBeenCalledWith(channel);
    expect(channel.prefetch).toHaveBeenCalledWith(7);
    expect(channel.consume).toHaveBeenCalledWith('notification.deliver', expect.any(Function), {
      noAck: false,
    });
    expect(consumer.isConsuming).toBe(true);
  });

  it.each([
    ['acks a message whose processing is over', 'ack', 'ack', []],
    ['rejects without requeue a message to dead-letter', 'reject', 'reject', [false]],
    // basic.reject: RabbitMQ 4.3 counts it toward the delivery limit, not a basic.nack.
    ['rejects with requeue a failed attempt to try again', 'requeue', 'reject', [true]],
    ['releases (nack, requeue) a message given back unhandled', 'release', 'nack', [false, true]],
  ] as const)('%s', async (_case, settlement, method, extra) => {
    const { connect } = setup(() => Promise.resolve(settlement));
    const channel = await connect();
    const delivery = message();
    channel.deliver(delivery);
    await flush();
    expect(channel[method]).toHaveBeenCalledWith(delivery, ...extra);
    const others = (['ack', 'nack', 'reject'] as const).filter((other) => other !== method);
    for (const other of others) expect(channel[other]).not.toHaveBeenCalled();
  });
});
