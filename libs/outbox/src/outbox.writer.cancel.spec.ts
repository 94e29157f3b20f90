import { ORDER_ID, setup } from './outbox.writer.fixture';

describe('OutboxWriter: cancelling and discarding unsent messages', () => {
  it('cancels an unsent message by its id, with a statement built once', async () => {
    const { writer, sent, unsent } = setup();
    unsent.add(ORDER_ID);
    await expect(writer.cancel(ORDER_ID)).resolves.toBe(true);
    unsent.delete(ORDER_ID);
    await expect(writer.cancel(ORDER_ID)).resolves.toBe(false);
    const [first, second] = sent();
    expect(first.text).toMatch(/^delete from "orders"\."outbox" where .*"sent_at" is null/);
    expect(second.text).toBe(first.text);
    expect([first.values, second.values]).toEqual([[ORDER_ID], [ORDER_ID]]);
  });

  it('discards an unsent message by its id with a delete written once, answering nothing', async () => {
    const { writer, sent } = setup();
    await expect(writer.discard(ORDER_ID)).resolves.toBeUndefined();
    await expect(writer.discard(ORDER_ID)).resolves.toBeUndefined();
    const [first, second] = sent();
    expect(first.text).toBe('delete from "orders"."outbox" where "id" = $1 and "sent_at" is null');
    expect(second.text).toBe(first.text);
    expect([first.values, second.values]).toEqual([[ORDER_ID], [ORDER_ID]]);
  });

  it('refuses to discard outside a transaction', async () => {
    const { writer, query } = setup(false);
    await expect(writer.discard(ORDER_ID)).rejects.toThrow(
      'OutboxWriter.discard needs an open transaction',
    );
    expect(query).not.toHaveBeenCalled();
  });

  it('refuses to cancel outside a transaction', async () => {
    const { writer } = setup(false);
    await expect(writer.cancel(ORDER_ID)).rejects.toThrow(
      'OutboxWriter.cancel needs an open transaction',
    );
  });
});
