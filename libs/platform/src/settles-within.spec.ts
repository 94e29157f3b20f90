import { answersWithin, settlesWithin } from './settles-within';

describe('settlesWithin', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is true for work that settles in time, and leaves no timer behind', async () => {
    await expect(settlesWithin(Promise.resolve('done'), 1_000)).resolves.toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('is false once the time runs out first', async () => {
    const waiting = settlesWithin(new Promise(() => undefined), 1_000);
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(waiting).resolves.toBe(false);
  });

  it('rethrows what the work rejects with', async () => {
    await expect(settlesWithin(Promise.reject(new Error('pool gone')), 1_000)).rejects.toThrow(
      'pool gone',
    );
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('answersWithin', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("is the work's answer when it comes in time, and leaves no timer behind", async () => {
    await expect(answersWithin(Promise.resolve('done'), 1_000)).resolves.toBe('done');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects, naming the time, once the time runs out first', async () => {
    const waiting = answersWithin(new Promise(() => undefined), 1_000);
    const rejected = expect(waiting).rejects.toThrow('no answer within 1000 ms');
    await jest.advanceTimersByTimeAsync(1_000);
    await rejected;
  });

  it('rethrows what the work rejects with', async () => {
    await expect(answersWithin(Promise.reject(new Error('pool gone')), 1_000)).rejects.toThrow(
      'pool gone',
    );
    expect(jest.getTimerCount()).toBe(0);
  });
});
