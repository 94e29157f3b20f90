import {
  type Database,
  type DatabaseTransactionHost,
  DRIZZLE,
  isDatabaseUnavailable,
  permanentDatabaseError,
  type StatementBuilder,
  TransactionAbortedError,
  TransactionStatements,
} from '@app/platform';
import { effects, isolate, type Isolation, startFixtureApp } from '@app/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { INestApplication } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { QueryResult } from 'pg';

const insertEffect = (db: StatementBuilder) =>
  db.insert(effects).values({
    messageId: sql.placeholder('messageId'),
    value: sql.placeholder('value'),
    attempt: 1,
  });

const selectEffect = (db: StatementBuilder) =>
  db
    .select({ value: effects.value })
    .from(effects)
    .where(eq(effects.messageId, sql.placeholder('messageId')));

describe('TransactionStatements: statements built once, run in the caller’s transaction', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let db: Database;
  let txHost: DatabaseTransactionHost;
  let insert: ReturnType<typeof prepareInsert>;
  let select: ReturnType<typeof prepareSelect>;
  const prepareInsert = (statements: TransactionStatements) => statements.prepare(insertEffect);
  const prepareSelect = (statements: TransactionStatements) => statements.prepare(selectEffect);

  const committed = async (messageId: string) =>
    db.select().from(effects).where(eq(effects.messageId, messageId));

  beforeAll(async () => {
    isolation = await isolate('statements');
    app = await startFixtureApp(isolation.env);
    db = app.get<Database>(DRIZZLE);
    txHost = app.get<DatabaseTransactionHost>(TransactionHost);
    const statements = app.get(TransactionStatements);
    [insert, select] = [prepareInsert(statements), prepareSelect(statements)];
  });

  afterAll(async () => {
    await app?.close();
    await isolation?.dispose();
  });

  it('writes nothing when the transaction rolls back', async () => {
    const messageId = randomUUID();
    const work = txHost.withTransaction(async () => {
      await insert.execute({ messageId, value: 'rolled back' });
      throw new Error('roll back');
    });
    await expect(work).rejects.toThrow('roll back');
    expect(await committed(messageId)).toEqual([]);
  });

  it('runs on the connection of a transaction opened with a prelude, as the inbox opens it', async () => {
    const messageId = randomUUID();
    let opened: unknown[] = [];
    const prelude = {
      text: 'select $1 as answer',
      values: [42],
      onResult: (result: QueryResult) => (opened = result.rows),
    };
    await txHost.withTransaction({ prelude }, async () => {
      expect(opened).toEqual([{ answer: '42' }]);
      await insert.execute({ messageId, value: 'in the transaction' });
      expect(await select.execute({ messageId })).toEqual([{ value: 'in the transaction' }]);
      expect(await committed(messageId)).toEqual([]);
    });
    expect(await committed(messageId)).toHaveLength(1);
  });

  it("runs SQL text on the transaction open in the caller's context", async () => {
    const statements = app.get(TransactionStatements);
    const insertText =
      'insert into fixture.effects (message_id, value, attempt) values ($1, $2, 1) returning value';
    const [kept, dropped] = [randomUUID(), randomUUID()];
    await txHost.withTransaction(async () => {
      const { rows } = await statements.query(insertText, [kept, 'kept']);
      expect(rows).toEqual([{ value: 'kept' }]);
      expect(await committed(kept)).toEqual([]);
    });
    const work = txHost.withTransaction(async () => {
      await statements.query(insertText, [dropped, 'rolled back']);
      throw new Error('roll back');
    });
    await expect(work).rejects.toThrow('roll back');
    expect(await committed(kept)).toHaveLength(1);
    expect(await committed(dropped)).toEqual([]);
  });

  it('runs on the pool, committed at once, outside any transaction', async () => {
    const messageId = randomUUID();
    await insert.execute({ messageId, value: 'alone' });
    expect(await select.execute({ messageId })).toEqual([{ value: 'alone' }]);
    expect(await committed(messageId)).toHaveLength(1);
  });

  describe('a write that needs no answer (`write`)', () => {
    const insertWithId =
      'insert into fixture.effects (id, message_id, value, attempt) values ($1, $2, $3, 1)';
    const write = (id: number, messageId: string, value: string) =>
      app.get(TransactionStatements).write(insertWithId, [id, messageId, value]);
    const freeId = () => 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000);

    it('runs before the next statement of its transaction, and commits with it', async () => {
      const [first, second] = [randomUUID(), randomUUID()];
      await txHost.withTransaction(async () => {
        await write(freeId(), first, 'deferred');
        expect(await select.execute({ messageId: first })).toEqual([{ value: 'deferred' }]);
        await write(freeId(), second, 'with the commit');
        expect(await committed(first)).toEqual([]);
      });
      expect(await committed(first)).toHaveLength(1);
      expect(await committed(second)).toHaveLength(1);
    });

    it('fails the commit it went with, and the transaction with it, when the write fails', async () => {
      const taken = freeId();
      await write(taken, randomUUID(), 'outside a transaction: at once');
      const [kept, clashing] = [randomUUID(), randomUUID()];
      const work = txHost.withTransaction(async () => {
        await insert.execute({ messageId: kept, value: 'rolled back with the write' });
        await write(taken, clashing, 'a primary key already taken');
      });
      await expect(work).rejects.toMatchObject({ code: '23505' });
      expect(await committed(kept)).toEqual([]);
      expect(await committed(clashing)).toEqual([]);
    });

    it('is dropped, never sent, when the transaction rolls back before its next statement', async () => {
      // A sequence moves even in a transaction that rolls back, so it shows a write that was sent.
      await db.execute(sql`create sequence fixture.sent_writes`);
      const sentWrites = async () =>
        (
          await db.execute<{ calls: boolean }>(
            sql`select is_called as calls from fixture.sent_writes`,
          )
        ).rows[0].calls;
      const probe = (messageId: string) =>
        app
          .get(TransactionStatements)
          .write(
            `insert into fixture.effects (id, message_id, value, attempt) values (-nextval('fixture.sent_writes'), $1, 'rolled back', 1)`,
            [messageId],
          );
      const dropped = randomUUID();
      const work = txHost.withTransaction(async () => {
        await probe(dropped);
        throw new Error('roll back');
      });
      await expect(work).rejects.toThrow('roll back');
      expect(await committed(dropped)).toEqual([]);
      expect(await sentWrites()).toBe(false);

      // The same write followed by a statement is sent, and the probe sees it.
      const sent = txHost.withTransaction(async () => {
        await probe(randomUUID());
        await select.execute({ messageId: dropped });
        throw new Error('roll back after sending');
      });
      await expect(sent).rejects.toThrow('roll back after sending');
      expect(await sentWrites()).toBe(true);
    });
  });

  it('fails a value with a NUL character as bad data, not as a database out of reach', async () => {
    const [first, deferred] = [randomUUID(), randomUUID()];
    const failures = [
      txHost.withTransaction(() => insert.execute({ messageId: first, value: 'a\0b' })),
      txHost.withTransaction(async () => {
        await app
          .get(TransactionStatements)
          .write('insert into fixture.effects (message_id, value, attempt) values ($1, $2, 1)', [
            deferred,
            'c\0d',
          ]);
      }),
    ];
    for (const failure of failures) {
      const error: unknown = await failure.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(isDatabaseUnavailable(error)).toBe(false);
      expect(permanentDatabaseError(error)).toMatch(/^SQLSTATE 22021/);
    }
    expect(await committed(first)).toEqual([]);
    expect(await committed(deferred)).toEqual([]);
  });

  it('fails a transaction whose COMMIT PostgreSQL turned into a ROLLBACK: a caught statement error', async () => {
    const messageId = randomUUID();
    const work = txHost.withTransaction(async () => {
      await insert.execute({ messageId, value: 'lost to the failed statement' });
      await txHost.tx
        .execute(sql`select 1 / 0`)
        .catch(() => 'caught, and the transaction is aborted');
    });
    await expect(work).rejects.toBeInstanceOf(TransactionAbortedError);
    expect(await committed(messageId)).toEqual([]);
  });
});
