import type { Pool, PoolClient } from 'pg';
import { inTransaction } from './raw-transaction';

/** A pool whose one connection records the SQL it is sent and answers `command`. */
function recordingPool(sent: string[], command = 'COMMIT') {
  const client = {
    query: jest.fn((text: string) => {
      sent.push(text);
      return Promise.resolve({ command, rows: [], rowCount: 1 });
    }),
    release: jest.fn(),
  };
  const pool = { connect: () => Promise.resolve(client as unknown as PoolClient) };
  return { pool: pool as unknown as Pool, client };
}

describe('inTransaction (the raw side)', () => {
  it('sends BEGIN with the first statement and an outbox write with the COMMIT', async () => {
    const sent: string[] = [];
    const { pool } = recordingPool(sent);
    const result = await inTransaction(pool, async (transaction) => {
      await transaction.query('insert into inbox (id, handler) values ($1, $2)', ["it's", 3]);
      transaction.defer('insert into outbox (id) values ($1)', ['a']);
      return 'done';
    });
    expect(sent).toEqual([
      "begin; insert into inbox (id, handler) values ('it''s', 3)",
      "insert into outbox (id) values ('a'); commit",
    ]);
    expect(result).toEqual({ value: 'done', wroteOutbox: true });
  });

  it('sends nothing for a transaction without statements, and says no outbox rows', async () => {
    const sent: string[] = [];
    const { pool } = recordingPool(sent);
    await expect(inTransaction(pool, () => Promise.resolve(1))).resolves.toEqual({
      value: 1,
      wroteOutbox: false,
    });
    expect(sent).toEqual([]);
  });

  it('fails on a COMMIT answered with ROLLBACK, and rolls back', async () => {
    const sent: string[] = [];
    const { pool, client } = recordingPool(sent, 'ROLLBACK');
    await expect(
      inTransaction(pool, (transaction) => transaction.query('select $1', ['x'])),
    ).rejects.toThrow('rolled back at COMMIT');
    expect(sent.at(-1)).toBe('rollback');
    expect(client.release).toHaveBeenCalled();
  });

  it('refuses to inline a value that is not a scalar', async () => {
    const { pool } = recordingPool([]);
    await expect(
      inTransaction(pool, (transaction) => transaction.query('select $1', [new Date()])),
    ).rejects.toThrow('raw SQL inlines scalars only');
  });
});
