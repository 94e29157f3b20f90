import { Logger } from '@nestjs/common';
import type { ConsumeMessage } from 'amqplib';
import { bodyHash } from './body-hash';
import { DeadLetterRecord } from './dead-letter-record';
import type { HandlerOutcome, HandlerTransaction, InboxEntry } from './handler-transaction';
import { readIncomingMessage } from './incoming-message';

const QUEUE = 'payment.order-created';
const BODY = Buffer.from('{"orderId":"o-1"}');
const REASON = 'order o-1 does not exist';

function consumed(headers: Record<string, unknown> = {}, messageId: string | undefined = 'm-1') {
  const raw = {
    content: BODY,
    fields: { deliveryTag: 1, redelivered: false, exchange: 'events', routingKey: 'order.created' },
    properties: { messageId, type: 'order.created', headers },
  } as unknown as ConsumeMessage;
  return readIncomingMessage(raw, QUEUE, 4);
}

/** An inbox in memory: a row per (id, key), the work inside the "transaction". */
function setup() {
  const rows = new Map<string, string>();
  const runOnce = jest.fn(
    async (entry: InboxEntry, work: () => Promise<void>): Promise<HandlerOutcome> => {
      const key = `${entry.messageId} ${entry.handlerKey}`;
      const stored = rows.get(key);
      if (stored !== undefined) return { kind: 'duplicate', storedBodyHash: stored };
      await work();
      rows.set(key, entry.bodyHash);
      return { kind: 'processed' };
    },
  );
  const transaction = {
    runOnce,
    isUnavailable: () => Promise.resolve(false),
    permanentFailure: () => undefined,
  } satisfies HandlerTransaction;
  const copy = jest.fn(() => Promise.resolve());
  const listener = { deadLettered: jest.fn(() => Promise.resolve()) };
  return {
    record: new DeadLetterRecord(transaction, QUEUE, listener),
    runOnce,
    copy,
    rows,
    listener,
  };
}

describe('DeadLetterRecord', () => {
  it('copies the first delivery and acks a duplicate without a second copy', async () => {
    const { record, copy, runOnce } = setup();
    await expect(record.copyOnce(consumed(), REASON, copy)).resolves.toBe('copied');
    await expect(record.copyOnce(consumed(), REASON, copy)).resolves.toBe('already');
    expect(copy).toHaveBeenCalledTimes(1);
    expect(runOnce).toHaveBeenCalledWith(
      { messageId: 'm-1', handlerKey: `dead-letter:${QUEUE}`, bodyHash: bodyHash(BODY) },
      expect.any(Function),
    );
  });

  it('tells the listener once, in the record transaction, before the copy', async () => {
    const { record, copy, listener } = setup();
    listener.deadLettered.mockImplementation(() => {
      expect(copy).not.toHaveBeenCalled();
      return Promise.resolve();
    });
    await record.copyOnce(consumed({ 'x-correlation-id': 'c-1' }), REASON, copy);
    await record.copyOnce(consumed({ 'x-correlation-id': 'c-1' }), REASON, copy);
    expect(listener.deadLettered).toHaveBeenCalledTimes(1);
    expect(listener.deadLettered).toHaveBeenCalledWith({
      messageId: 'm-1',
      type: 'order.created',
      queue: QUEUE,
      headers: { 'x-correlation-id': 'c-1' },
      reason: REASON,
      attempt: 1,
      payload: { orderId: 'o-1' },
    });
  });

  it('gives the listener no payload for a body it cannot read as JSON', async () => {
    const { record, copy, listener } = setup();
    const message = consumed();
    message.raw.content = Buffer.from('not json');
    await record.copyOnce(message, REASON, copy);
    expect(listener.deadLettered).toHaveBeenCalledWith(
      expect.objectContaining({ payload: undefined }),
    );
  });

  it('copies a replay again: a new x-replayed-at is a new life of the message', async () => {
    const { record, copy } = setup();
    await record.copyOnce(consumed(), REASON, copy);
    const replayed = consumed({ 'x-replayed-at': '2026-01-01T00:00:00.000Z' });
    await expect(record.copyOnce(replayed, REASON, copy)).resolves.toBe('copied');
    await expect(record.copyOnce(replayed, REASON, copy)).resolves.toBe('already');
    expect(copy).toHaveBeenCalledTimes(2);
  });

  it('copies a message reusing the id with another body', async () => {
    const { record, copy, rows } = setup();
    await record.copyOnce(consumed(), REASON, copy);
    rows.set(`m-1 dead-letter:${QUEUE}`, 'another');
    await expect(record.copyOnce(consumed(), REASON, copy)).resolves.toBe('copied');
    expect(copy).toHaveBeenCalledTimes(2);
  });

  it('copies without a record a message without a usable id', async () => {
    const { record, copy, runOnce } = setup();
    await expect(record.copyOnce(consumed({}, 'B'.repeat(256)), REASON, copy)).resolves.toBe(
      'copied',
    );
    expect(runOnce).not.toHaveBeenCalled();
  });

  it('lets a failed copy fail, unrecorded, so the caller rejects the message', async () => {
    const { record, copy, rows } = setup();
    copy.mockRejectedValueOnce(new Error('no confirm'));
    await expect(record.copyOnce(consumed(), REASON, copy)).rejects.toThrow('no confirm');
    expect(rows.size).toBe(0);
  });

  it('still copies when the store cannot record, and keeps a copy confirmed before a failed commit', async () => {
    const { record, copy, runOnce } = setup();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    runOnce.mockRejectedValueOnce(new Error('database down'));
    await expect(record.copyOnce(consumed(), REASON, copy)).resolves.toBe('copied');
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/^Could not record the dead-lettering of m-1 .*\(database down\)/),
    );
    warn.mockRestore();
    runOnce.mockImplementationOnce(async (_entry, work) => {
      await work();
      throw new Error('commit failed');
    });
    await expect(record.copyOnce(consumed(), REASON, copy)).resolves.toBe('copied');
    expect(copy).toHaveBeenCalledTimes(2);
  });
});
