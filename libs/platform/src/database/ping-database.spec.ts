import type { Pool } from 'pg';
import { pingDatabase } from './ping-database';

const poolAnswering = (answer: () => Promise<unknown>) => ({ query: answer }) as unknown as Pool;

describe('pingDatabase', () => {
  it('resolves when the database answers', async () => {
    await expect(pingDatabase(poolAnswering(() => Promise.resolve({})))).resolves.toBeUndefined();
  });

  it('rejects with the database’s error', async () => {
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    await expect(pingDatabase(poolAnswering(() => Promise.reject(refused)))).rejects.toBe(refused);
  });

  it('rejects once the database takes longer than the ping may', async () => {
    jest.useFakeTimers();
    try {
      const ping = pingDatabase(
        poolAnswering(() => new Promise(() => undefined)),
        1_000,
      );
      jest.advanceTimersByTime(1_000);
      await expect(ping).rejects.toThrow('no answer within 1000 ms');
    } finally {
      jest.useRealTimers();
    }
  });
});
