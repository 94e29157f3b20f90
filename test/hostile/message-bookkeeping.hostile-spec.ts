import { MessageHeaders } from '@app/messaging';
import { inbox } from '@app/testing';
import { Logger } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { DLQ, errorOf, json, messageEdge, QUEUE, sha256, TYPE } from './support/message-edge';

/**
 * Bookkeeping a careless or hostile client can forge or repeat (attempt headers, duplicates,
 * replays, a reused messageId): the retry budget holds, and each message has one fate.
 */
describe('Hostile input at the message edge: the bookkeeping', () => {
  const edge = messageEdge('hostile-bookkeeping');
  const { publish, onlyCopyAfterValidMessage, handled, effectsOf, settled } = edge;

  it.each([999, '3', -1])(
    'does not let a forged x-attempt of %p set the retry budget: two attempts, then the DLQ',
    async (forged) => {
      const messageId = randomUUID();
      await publish(
        { value: 'forged-attempt', behaviour: 'fail-always' },
        { messageId, type: TYPE, headers: { [MessageHeaders.attempt]: forged } },
      );
      const copy = await onlyCopyAfterValidMessage();
      expect(copy.properties.headers?.[MessageHeaders.attempts]).toBe(2);
      expect(errorOf(copy)).toBe('fixture handler failed (gave up after 2 attempts)');
    },
  );

  it.each([
    ['refused by its handler', 'fail-permanently'],
    ['failing on every attempt', 'fail-always'],
  ])(
    'leaves one dead-letter copy of a message %s and delivered three times',
    async (_case, behaviour) => {
      const messageId = randomUUID();
      for (let copy = 0; copy < 3; copy += 1) {
        await publish({ value: 'duplicate', behaviour }, { messageId, type: TYPE });
      }
      await edge.client.takeOne(DLQ);
      await settled();
      expect(await edge.client.messageCount(DLQ)).toBe(0);
      const records = await edge.db.select().from(inbox).where(eq(inbox.messageId, messageId));
      expect(records).toEqual([expect.objectContaining({ handler: `dead-letter:${QUEUE}` })]);
    },
  );

  it('dead-letters a replayed copy again: a replay is a new life of the message', async () => {
    const messageId = randomUUID();
    const body = { value: 'replayed', behaviour: 'fail-permanently' };
    await publish(body, { messageId, type: TYPE });
    await edge.client.takeOne(DLQ);
    await publish(body, {
      messageId,
      type: TYPE,
      headers: { 'x-replayed-at': new Date().toISOString() },
    });
    await edge.client.takeOne(DLQ);
    await settled();
    expect(await edge.client.messageCount(DLQ)).toBe(0);
  });

  it('dead-letters at once a database error no retry can get past', async () => {
    const messageId = randomUUID();
    await publish({ value: 'division', behaviour: 'database-error' }, { messageId, type: TYPE });
    const copy = await onlyCopyAfterValidMessage();
    expect(copy.properties.headers?.[MessageHeaders.attempts]).toBe(1);
    expect(errorOf(copy)).toBe(
      'a database error no retry can get past (SQLSTATE 22012: division by zero)',
    );
  });

  it('skips a messageId reused for another body, with a warning naming both hashes', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      const messageId = randomUUID();
      const [first, second] = [json({ value: 'first' }), json({ value: 'second' })];
      await publish(first, { messageId, type: TYPE });
      await handled(messageId);
      await publish(second, { messageId, type: TYPE });
      await settled();
      expect(await effectsOf(messageId)).toEqual([expect.objectContaining({ value: 'first' })]);
      const [record] = await edge.db.select().from(inbox).where(eq(inbox.messageId, messageId));
      expect(record.bodyHash).toBe(sha256(first));
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining(
          `(handled body sha256 ${sha256(first)}, this body sha256 ${sha256(second)})`,
        ),
      );
    } finally {
      warn.mockRestore();
    }
  });
});
