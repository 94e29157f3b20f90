import { readForGauge } from './read-for-gauge';

describe('readForGauge', () => {
  it('gives the value read', async () => {
    await expect(readForGauge(() => Promise.resolve(7))).resolves.toBe(7);
  });

  it('gives nothing, rather than failing the scrape, when the database refuses', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    await expect(readForGauge(() => Promise.reject(refused))).resolves.toBeUndefined();
  });

  it('gives nothing once the read takes longer than it may', async () => {
    jest.useFakeTimers();
    try {
      const never = new Promise<number>(() => undefined);
      const reading = readForGauge(() => never, 2_000);
      jest.advanceTimersByTime(2_000);
      await expect(reading).resolves.toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });
});
