import { afterRollback, type Database, type DatabaseTransactionHost, DRIZZLE } from '@app/platform';
import { effects, isolate, type Isolation, startFixtureApp } from '@app/testing';
import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import type { INestApplication } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';

describe('afterRollback: work recorded once a transaction has rolled back', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let db: Database;
  let txHost: DatabaseTransactionHost;

  const valueOf = async (messageId: string) =>
    (await db.select().from(effects).where(eq(effects.messageId, messageId)))[0]?.value;

  beforeAll(async () => {
    isolation = await isolate('after-rollback');
    app = await startFixtureApp(isolation.env);
    db = app.get<Database>(DRIZZLE);
    txHost = app.get<DatabaseTransactionHost>(TransactionHost);
  });

  afterAll(async () => {
    await app?.close();
    await isolation?.dispose();
  });

  it('runs after the rollback released its row locks, and the caller still gets the error', async () => {
    const messageId = randomUUID();
    await db.insert(effects).values({ messageId, value: 'before', attempt: 1 });
    // The hook updates the very row the failing transaction locked: run before the rollback, it
    // would wait on that lock until its lock_timeout and record nothing.
    const record = () =>
      txHost.withTransaction(Propagation.RequiresNew, async () => {
        await txHost.tx.execute(sql`set local lock_timeout = '2s'`);
        await txHost.tx
          .update(effects)
          .set({ value: 'failure recorded' })
          .where(eq(effects.messageId, messageId));
      });
    const work = txHost.withTransaction(async () => {
      await txHost.tx
        .update(effects)
        .set({ value: 'locked' })
        .where(eq(effects.messageId, messageId));
      expect(afterRollback(txHost.tx, record)).toBe(true);
      throw new Error('send failed');
    });

    await expect(work).rejects.toThrow('send failed');
    expect(await valueOf(messageId)).toBe('failure recorded');
  });

  it('does not run when the transaction commits', async () => {
    const hook = jest.fn(() => Promise.resolve());
    await txHost.withTransaction(async () => {
      await txHost.tx.execute(sql`select 1`);
      afterRollback(txHost.tx, hook);
    });
    expect(hook).not.toHaveBeenCalled();
  });
});
