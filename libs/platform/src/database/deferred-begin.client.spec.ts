import type { PoolClient, QueryResult } from 'pg';
import { DeferredBeginClient, TransactionAbortedError } from './deferred-begin.client';

/** Answers each statement with a result whose command is the statement's text. */
function fakeConnection(answer: (statement: string) => string = (statement) => statement) {
  const sent: unknown[] = [];
  const result = (command: string) =>
    ({ command: answer(command), rows: [] }) as unknown as QueryResult;
  const query = jest.fn((config: unknown) => {
    sent.push(config);
    const text = typeof config === 'string' ? config : (config as { text: string }).text;
    const results = text.split('; ').map((statement) => result(statement));
    return Promise.resolve(results.length > 1 ? results : results[0]);
  });
  return { connection: { query } as unknown as PoolClient, sent };
}

describe('DeferredBeginClient', () => {
  it("sends BEGIN with the first statement, its values inlined, and answers that statement's result", async () => {
    const { connection, sent } = fakeConnection();
    const client = new DeferredBeginClient(connection);
    const config = { text: 'insert into "t" values ($1)', rowMode: 'array' as const };
    const result = await client.query(config, ['a']);
    await client.query('select 1');
    await client.commit();
    expect(sent).toEqual([
      { text: `begin; insert into "t" values ('a')`, rowMode: 'array' },
      'select 1',
      'commit',
    ]);
    expect(result.command).toBe(`insert into "t" values ('a')`);
  });

  it('sends BEGIN on its own before a statement it cannot inline, then the statement as given', async () => {
    const { connection, sent } = fakeConnection();
    const client = new DeferredBeginClient(connection, { isolationLevel: 'serializable' });
    await client.query('select $1', [Buffer.from('x')]);
    const config = { text: 'select $1', rowMode: 'array' as const };
    const other = new DeferredBeginClient(connection);
    await other.query(config, [Buffer.from('y')]);
    expect(sent).toEqual(['begin isolation level serializable', 'select $1', 'begin', config]);
    expect(connection.query).toHaveBeenLastCalledWith(config, [Buffer.from('y')]);
  });

  it('sends text given as text, and has nothing to commit or roll back when nothing was sent', async () => {
    const { connection, sent } = fakeConnection();
    const idle = new DeferredBeginClient(connection);
    await idle.commit();
    await idle.rollback();
    expect(sent).toEqual([]);
    const client = new DeferredBeginClient(connection, { accessMode: 'read only' });
    await client.query('select $1', [2]);
    await client.rollback();
    expect(sent).toEqual([`begin read only; select '2'`, 'rollback']);
  });

  it('sends a deferred write ahead of the next statement, in order, and with the commit', async () => {
    const { connection, sent } = fakeConnection();
    const client = new DeferredBeginClient(connection);
    expect(client.defer('insert into "o" values ($1)', ['{"a":1}'])).toBe(true);
    const result = await client.query({ text: 'select $1' }, ['x']);
    expect(client.defer('insert into "o" values ($1)', ["it's"])).toBe(true);
    await client.query('select 2');
    expect(client.defer('insert into "o" values ($1)', ['z'])).toBe(true);
    await client.commit();
    expect(sent).toEqual([
      { text: `begin; insert into "o" values ('{"a":1}'); select 'x'` },
      `insert into "o" values ('it''s'); select 2`,
      `insert into "o" values ('z'); commit`,
    ]);
    expect(result.command).toBe(`select 'x'`);
  });

  it('sends a transaction of deferred writes alone in one round trip, and drops them on rollback', async () => {
    const { connection, sent } = fakeConnection();
    const client = new DeferredBeginClient(connection, { isolationLevel: 'read committed' });
    client.defer('insert into "o" values ($1)', ['a']);
    await client.commit();
    const dropped = new DeferredBeginClient(connection);
    dropped.defer('insert into "o" values ($1)', ['b']);
    await dropped.rollback();
    expect(sent).toEqual([
      `begin isolation level read committed; insert into "o" values ('a'); commit`,
    ]);
  });

  it('holds no write it cannot inline, for the caller to send at once', async () => {
    const { connection, sent } = fakeConnection();
    const client = new DeferredBeginClient(connection);
    expect(client.defer('insert into "o" values ($1)', [Buffer.from('x')])).toBe(false);
    await client.commit();
    expect(sent).toEqual([]);
  });

  it('fails the commit PostgreSQL turned into a rollback, as it does after a failed statement', async () => {
    const { connection } = fakeConnection((statement) =>
      statement === 'commit' ? 'ROLLBACK' : statement,
    );
    const client = new DeferredBeginClient(connection);
    await client.query('select 1');
    await expect(client.commit()).rejects.toBeInstanceOf(TransactionAbortedError);
  });
});
