import { DeliverNotification, OrderCancelled } from '@app/contracts';
import { CLS_ID } from 'nestjs-cls';
import { outboxMessage } from './outbox.writer';
import { cancelled, ORDER_ID, setup } from './outbox.writer.fixture';

describe('OutboxWriter', () => {
  it('records an event for the events exchange in one statement, and wakes the relay once committed', async () => {
    const { writer, inContext, statement, relay, commit } = setup();
    const id = await inContext(() => writer.add(OrderCancelled, cancelled));
    const { text, row } = statement();
    expect(text).toMatch(/^insert into "orders"\."outbox" /);
    expect(text).not.toMatch(/notify/);
    expect(relay.kick).not.toHaveBeenCalled();
    commit();
    expect(relay.kick).toHaveBeenCalled();
    expect(row).toEqual({
      id,
      exchange: 'events',
      routingKey: 'order.cancelled',
      type: 'order.cancelled',
      payload: cancelled,
      headers: { 'x-correlation-id': 'corr-1', 'x-causation-id': 'msg-9' },
    });
  });

  it('writes several messages in one statement, under the ids it is given or new ones', async () => {
    const { writer, inContext, statement } = setup();
    const named = '7d2f3c4b-5a6e-4f10-8b9c-0d1e2f3a4b5c';
    const ids = await inContext(() =>
      writer.addAll([
        outboxMessage(OrderCancelled, cancelled, { messageId: named, delayMs: 1000 }),
        outboxMessage(OrderCancelled, { ...cancelled, reason: 'second' }),
      ]),
    );
    expect(ids[0]).toBe(named);
    expect(ids[1]).not.toBe(named);
    const { values, rows } = statement();
    // One parameter, its JSON text, so a transaction opening with it still sends it with BEGIN.
    expect(values).toEqual([expect.any(String)]);
    expect(rows.map((row) => [row.id, row.payload, row.delaySeconds])).toEqual([
      [named, cancelled, 1],
      [ids[1], { ...cancelled, reason: 'second' }, undefined],
    ]);
  });

  it('sends the same statement text for any number of messages: it is built once', async () => {
    const { writer, inContext, sent } = setup();
    await inContext(() => writer.add(OrderCancelled, cancelled));
    await inContext(() =>
      writer.addAll([
        outboxMessage(OrderCancelled, cancelled, { delayMs: 5 }),
        outboxMessage(OrderCancelled, cancelled, { deliverAt: new Date() }),
        outboxMessage(OrderCancelled, cancelled),
      ]),
    );
    const [one, three] = sent();
    expect(three.text).toBe(one.text);
    expect(JSON.parse(three.values[0] as string)).toHaveLength(3);
  });

  it('writes nothing for no messages', async () => {
    const { writer, inContext, query, relay, commit } = setup();
    await expect(inContext(() => writer.addAll([]))).resolves.toEqual([]);
    commit();
    expect(query).not.toHaveBeenCalled();
    expect(relay.kick).not.toHaveBeenCalled();
  });

  it('returns a new UUID messageId for each message', async () => {
    const { writer, inContext } = setup();
    const first = await inContext(() => writer.add(OrderCancelled, cancelled));
    const second = await inContext(() => writer.add(OrderCancelled, cancelled));
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second).not.toBe(first);
  });

  it('sends a job to the route it is given', async () => {
    const { writer, inContext, statement } = setup();
    const job = { notificationId: ORDER_ID };
    const route = { exchange: '', routingKey: 'notification.deliver' };
    await inContext(() => writer.add(DeliverNotification, job, { route }));
    expect(statement().row).toMatchObject({
      exchange: '',
      routingKey: 'notification.deliver',
      type: 'notification.deliver',
    });
  });

  it('stores the payload as the contract reads it, without unknown fields', async () => {
    const { writer, inContext, statement } = setup();
    const withExtra = { ...cancelled, internalNote: 'customer is angry' };
    await inContext(() => writer.add(OrderCancelled, withExtra));
    expect(statement().row.payload).toEqual(cancelled);
  });

  it("names the request's correlation id as cause when the context sets no cause", async () => {
    const { writer, cls, statement } = setup();
    await cls.run(() => {
      cls.set(CLS_ID, 'req-5');
      return writer.add(OrderCancelled, cancelled);
    });
    expect(statement().row.headers).toEqual({
      'x-correlation-id': 'req-5',
      'x-causation-id': 'req-5',
    });
  });

  it('adds headers of its own, under the correlation headers', async () => {
    const { writer, inContext, statement } = setup();
    const headers = { 'x-workflow-id': 'w-1', 'x-correlation-id': 'forged' };
    await inContext(() => writer.add(OrderCancelled, cancelled, { headers }));
    expect(statement().row.headers).toEqual({
      'x-workflow-id': 'w-1',
      'x-correlation-id': 'corr-1',
      'x-causation-id': 'msg-9',
    });
  });
});
