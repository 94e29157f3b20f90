import type { PoolClient, QueryResult } from 'pg';
import { DeferredBeginClient } from './deferred-begin.client';

function fakeConnection() {
  const sent: unknown[] = [];
  const result = (command: string) => ({ command, rows: [] }) as unknown as QueryResult;
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

  it('sends BEGIN on its own before a statement it cannot inline', async () => {
    const { connection, sent } = fakeConnection();
    const client = new DeferredBeginClient(connection, { isolationLevel: 'serializable' });
    await client.query('select $1', [Buffer.from('x')]);
    expect(sent).toEqual(['begin isolation level serializable', { text: 'select $1' }]);
  });

  it('begins with a prelude, and has nothing to commit or roll back when nothing was sent', async () => {
    const { connection, sent } = fakeConnection();
    const idle = new DeferredBeginClient(connection);
    await idle.commit();
    await idle.rollback();
    expect(sent).toEqual([]);
    const client = new DeferredBeginClient(connection, { accessMode: 'read only' });
    await client.beginWith('select 2');
    await client.rollback();
    expect(sent).toEqual(['begin read only; select 2', 'rollback']);
  });
});
