import { retryWithBackoff } from './retry-with-backoff';

/** Work that fails `failures` times, numbering its errors, then resolves with 'ready'. */
function flaky(failures: number) {
  let calls = 0;
  const work = jest.fn(() => {
    calls += 1;
    return calls <= failures
      ? Promise.reject(new Error(`failure ${calls}`))
      : Promise.resolve('ready');
  });
  return work;
}

describe('retryWithBackoff', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('returns at once when the first try succeeds', async () => {
    const work = flaky(0);
    await expect(retryWithBackoff(work, { deadlineMs: 1000 })).resolves.toBe('ready');
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('retries with doubling pauses until the work succeeds', async () => {
    const work = flaky(3);
    const onRetry = jest.fn();
    const result = retryWithBackoff(work, { deadlineMs: 10_000, initialDelayMs: 100, onRetry });

    await jest.advanceTimersByTimeAsync(299);
    expect(work).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(work).toHaveBeenCalledTimes(3);
    await jest.advanceTimersByTimeAsync(400);

    await expect(result).resolves.toBe('ready');
    expect(work).toHaveBeenCalledTimes(4);
    expect(onRetry.mock.calls).toEqual([
      [new Error('failure 1'), 100],
      [new Error('failure 2'), 200],
      [new Error('failure 3'), 400],
    ]);
  });

  it('gives up with the last error once the next pause would pass the deadline', async () => {
    const work = flaky(Infinity);
    const result = retryWithBackoff(work, { deadlineMs: 1000, initialDelayMs: 100 });
    const outcome = expect(result).rejects.toThrow('failure 4');

    await jest.advanceTimersByTimeAsync(1000);

    await outcome;
    expect(work).toHaveBeenCalledTimes(4);
  });

  it('never pauses longer than maxDelayMs', async () => {
    const onRetry = jest.fn();
    const result = retryWithBackoff(flaky(5), {
      deadlineMs: 60_000,
      initialDelayMs: 100,
      maxDelayMs: 300,
      onRetry,
    });
    await jest.advanceTimersByTimeAsync(2000);
    await expect(result).resolves.toBe('ready');
    expect(onRetry.mock.calls.map(([, delayMs]) => delayMs as number)).toEqual([
      100, 200, 300, 300, 300,
    ]);
  });

  it('tries once without waiting when the deadline is shorter than the first pause', async () => {
    const work = flaky(Infinity);
    await expect(retryWithBackoff(work, { deadlineMs: 50, initialDelayMs: 100 })).rejects.toThrow(
      'failure 1',
    );
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('turns a thrown non-Error into an Error', async () => {
    const work = jest.fn<Promise<string>, []>().mockRejectedValue('plain text');
    await expect(retryWithBackoff(work, { deadlineMs: 0 })).rejects.toEqual(
      new Error('plain text'),
    );
  });

  it('stops at the first failure no retry can help', async () => {
    const work = flaky(3);
    const isTransient = (error: unknown) => (error as Error).message !== 'failure 1';
    await expect(retryWithBackoff(work, { deadlineMs: 10_000, isTransient })).rejects.toThrow(
      'failure 1',
    );
    expect(work).toHaveBeenCalledTimes(1);
  });
});
