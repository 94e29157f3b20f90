import { defineMessage, OrderCancelled } from '@app/contracts';
import { InvalidPublishPropertiesError } from '@app/messaging';
import { z, ZodError } from 'zod';
import { cancelled, setup } from './outbox.writer.fixture';

describe('OutboxWriter: refusing a write before any SQL runs', () => {
  it('refuses to write outside a transaction', async () => {
    const { writer, inContext, query } = setup(false);
    await expect(inContext(() => writer.add(OrderCancelled, cancelled))).rejects.toThrow(
      'OutboxWriter.add(order.cancelled) needs an open transaction',
    );
    expect(query).not.toHaveBeenCalled();
  });

  it('refuses a payload breaking the contract before any SQL runs', async () => {
    const { writer, inContext, query } = setup();
    const invalid = { orderId: 'not-a-uuid', reason: '' };
    await expect(inContext(() => writer.add(OrderCancelled, invalid))).rejects.toThrow(ZodError);
    expect(query).not.toHaveBeenCalled();
  });

  it('refuses a payload above MAX_MESSAGE_BYTES before any SQL runs, so the write fails with it', async () => {
    const { writer, inContext, query } = setup();
    const Blob = defineMessage('test.blob', z.object({ blob: z.string() }));
    const huge = { blob: 'x'.repeat(300 * 1024) };
    await expect(inContext(() => writer.add(Blob, huge))).rejects.toThrow(
      /above the 262144-byte limit \(MAX_MESSAGE_BYTES\)/,
    );
    expect(query).not.toHaveBeenCalled();
  });

  it.each([
    ['headers above 60 KiB', { headers: { 'x-note': 'x'.repeat(64 * 1024) } }],
    ['a header name above 255 bytes', { headers: { ['x'.repeat(256)]: 'v' } }],
    ['a routing key above 255 bytes', { route: { exchange: '', routingKey: 'q'.repeat(256) } }],
    ['a messageId above 255 bytes', { messageId: 'm'.repeat(256) }],
  ])(
    'refuses %s before any SQL runs: the broker would refuse every publish of the row',
    async (_, options) => {
      const { writer, inContext, query } = setup();
      await expect(
        inContext(() => writer.add(OrderCancelled, cancelled, options)),
      ).rejects.toBeInstanceOf(InvalidPublishPropertiesError);
      expect(query).not.toHaveBeenCalled();
    },
  );

  it('refuses to write a message outside a correlation context', async () => {
    const { writer, query } = setup();
    await expect(writer.add(OrderCancelled, cancelled)).rejects.toThrow(/No correlation context/);
    expect(query).not.toHaveBeenCalled();
  });
});
