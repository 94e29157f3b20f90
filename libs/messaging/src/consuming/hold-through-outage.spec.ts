import { holdThroughOutage, ShutdownDuringOutageError } from './hold-through-outage';

const outage = new Error('db down');
const isOutage = (error: unknown) => error === outage;

describe('holdThroughOutage', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('tries again after growing pauses until the store answers', async () => {
    const work = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(outage)
      .mockRejectedValueOnce(outage)
      .mockResolvedValue('done');
    const onHold = jest.fn();
    const result = holdThroughOutage(work, {
      isOutage,
      stopping: new AbortController().signal,
      onHold,
    });
    await jest.advanceTimersByTimeAsync(1_000);
    expect(work).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(2_000);
    await expect(result).resolves.toBe('done');
    expect(onHold.mock.calls.map(([, pauseMs]) => pauseMs)).toEqual([1_000, 2_000]);
  });

  it('lets any other error through at once', async () => {
    const failure = new Error('constraint violated');
    const work = jest.fn<Promise<string>, []>().mockRejectedValue(failure);
    const stopping = new AbortController().signal;
    await expect(holdThroughOutage(work, { isOutage, stopping, onHold: jest.fn() })).rejects.toBe(
      failure,
    );
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('stops holding as soon as the process shuts down', async () => {
    const shutdown = new AbortController();
    const work = jest.fn<Promise<string>, []>().mockRejectedValue(outage);
    const result = holdThroughOutage(work, {
      isOutage,
      stopping: shutdown.signal,
      onHold: jest.fn(),
    });
    const settled = expect(result).rejects.toBeInstanceOf(ShutdownDuringOutageError);
    await jest.advanceTimersByTimeAsync(10);
    shutdown.abort();
    await jest.advanceTimersByTimeAsync(0);
    await settled;
    expect(work).toHaveBeenCalledTimes(2);
  });

  it('never pauses longer than 30 s between tries', async () => {
    const work = jest.fn<Promise<string>, []>().mockRejectedValue(outage);
    const onHold = jest.fn();
    const shutdown = new AbortController();
    const result = holdThroughOutage(work, { isOutage, stopping: shutdown.signal, onHold }).catch(
      () => 'stopped',
    );
    await jest.advanceTimersByTimeAsync(200_000);
    shutdown.abort();
    await expect(result).resolves.toBe('stopped');
    expect(Math.max(...onHold.mock.calls.map(([, pauseMs]) => pauseMs as number))).toBe(30_000);
  });
});
