import { setup } from './message-publisher.fixture';

describe('MessagePublisher', () => {
  it('publishes on a confirm channel that declares the exchanges', async () => {
    const { createChannel, channel } = await setup();
    expect(createChannel).toHaveBeenCalledWith(
      expect.objectContaining({ confirm: true, name: 'order.publisher' }),
    );
    expect(channel.assertExchange.mock.calls.map(([name]) => name)).toEqual(['events', 'rpc']);
  });

  it('keeps metric series for the types it publishes, whatever types its queues see first', async () => {
    const { metrics } = await setup();
    expect(metrics.reserveTypes).toHaveBeenCalledWith(['order.created']);
  });

  it('declares the event log, bound to every event, before its first publish', async () => {
    const { channel, spare } = await setup();
    expect(spare.assertQueue).toHaveBeenCalledWith('events.log', {
      durable: true,
      arguments: { 'x-queue-type': 'stream', 'x-max-age': '7D' },
    });
    expect(channel.bindQueue).toHaveBeenCalledWith('events.log', 'events', '#');
  });

  it('publishes persistent and mandatory, with the given properties and bytes', async () => {
    const { publisher, wrapper } = await setup();
    const content = Buffer.from('{"orderId":"o-1"}');
    const properties = {
      messageId: 'm-1',
      type: 'order.paid',
      persistent: false,
      headers: { a: 1 },
    };
    await publisher.publishRaw('events', 'order.paid', content, properties, { timeoutMs: 750 });
    expect(wrapper.publish).toHaveBeenCalledWith('events', 'order.paid', content, {
      messageId: 'm-1',
      type: 'order.paid',
      headers: { a: 1 },
      persistent: true,
      mandatory: true,
      timeout: 750,
    });
  });

  it('publishes an outgoing message as JSON with its identity and origin', async () => {
    const { publisher, wrapper } = await setup();
    await publisher.publish({
      messageId: 'm-9',
      type: 'order.paid',
      exchange: 'events',
      routingKey: 'order.paid',
      payload: { orderId: 'o-1' },
      headers: { 'x-correlation-id': 'corr-1' },
      timestamp: new Date('2025-01-01T00:00:10.900Z'),
    });
    const [exchange, routingKey, content, options] = wrapper.publish.mock.calls[0];
    expect([exchange, routingKey]).toEqual(['events', 'order.paid']);
    expect(JSON.parse(content.toString())).toEqual({ orderId: 'o-1' });
    expect(options).toMatchObject({
      messageId: 'm-9',
      type: 'order.paid',
      timestamp: 1735689610,
      contentType: 'application/json',
      appId: 'order',
      headers: { 'x-correlation-id': 'corr-1' },
      persistent: true,
      mandatory: true,
    });
  });

  it('replies on the default exchange without mandatory, as JSON from this service', async () => {
    const { publisher, wrapper } = await setup();
    await publisher.reply('amq.rabbitmq.reply-to.abc', { correlationId: 'c-1' }, { ok: true });
    const [exchange, routingKey, content, options] = wrapper.publish.mock.calls[0];
    expect([exchange, routingKey, content.toString()]).toEqual([
      '',
      'amq.rabbitmq.reply-to.abc',
      '{"ok":true}',
    ]);
    expect(options).toMatchObject({
      correlationId: 'c-1',
      appId: 'order',
      contentType: 'application/json',
    });
    expect(options.mandatory).toBeUndefined();
  });
});
