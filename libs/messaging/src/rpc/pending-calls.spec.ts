import { PendingCalls } from './pending-calls';

describe('PendingCalls', () => {
  let calls: PendingCalls;
  const deadline = () => new Error('deadline');

  beforeEach(() => {
    jest.useFakeTimers();
    calls = new PendingCalls();
  });

  afterEach(() => jest.useRealTimers());

  it('hands each reply to the call with its correlation id', async () => {
    const first = calls.wait('a', 1_000, deadline);
    const second = calls.wait('b', 1_000, deadline);
    expect(calls.answer('b', 'for b')).toBe(true);
    expect(calls.answer('a', 'for a')).toBe(true);
    await expect(first).resolves.toBe('for a');
    await expect(second).resolves.toBe('for b');
    expect(calls.size).toBe(0);
  });

  it('rejects a call at its deadline and ignores its late reply', async () => {
    const call = calls.wait('a', 1_000, deadline);
    jest.advanceTimersByTime(1_000);
    await expect(call).rejects.toThrow('deadline');
    expect(calls.answer('a', 'too late')).toBe(false);
  });

  it('settles a call once: a failure after its reply changes nothing', async () => {
    const call = calls.wait('a', 1_000, deadline);
    calls.answer('a', 'reply');
    calls.fail('a', new Error('confirm failed'));
    jest.advanceTimersByTime(1_000);
    await expect(call).resolves.toBe('reply');
  });

  it('fails every waiting call at once, before their deadlines', async () => {
    const first = calls.wait('a', 1_000, deadline);
    const second = calls.wait('b', 1_000, deadline);
    calls.failAll(new Error('channel closed'));
    await expect(first).rejects.toThrow('channel closed');
    await expect(second).rejects.toThrow('channel closed');
    expect(calls.size).toBe(0);
  });
});
