import { RelayPause } from './relay-pause';

/** Whether `waiting` has resolved by now, once the promise jobs already queued have run. */
async function hasEnded(waiting: Promise<void>): Promise<boolean> {
  let ended = false;
  void waiting.then(() => (ended = true));
  await jest.advanceTimersByTimeAsync(0);
  return ended;
}

describe('RelayPause', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('waits its time when nothing kicks it, and leaves no timer behind', async () => {
    const waiting = new RelayPause().wait(1_000, false);

    await jest.advanceTimersByTimeAsync(999);
    expect(await hasEnded(waiting)).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(await hasEnded(waiting)).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('ends at a kick', async () => {
    const pause = new RelayPause();
    const waiting = pause.wait(1_000, false);

    pause.kick();

    expect(await hasEnded(waiting)).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('skips the next pause once, for a kick that came while none ran', async () => {
    const pause = new RelayPause();
    pause.kick();

    expect(await hasEnded(pause.wait(1_000, false))).toBe(true);
    expect(await hasEnded(pause.wait(1_000, false))).toBe(false);
  });

  it('sits out a backoff whatever kicks it, and forgets the kick after', async () => {
    const pause = new RelayPause();
    const backingOff = pause.wait(1_000, true);

    pause.kick();
    expect(await hasEnded(backingOff)).toBe(false);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await hasEnded(backingOff)).toBe(true);
    expect(await hasEnded(pause.wait(1_000, false))).toBe(false);
  });

  it('ends a backoff at a stop, and every pause after it at once', async () => {
    const pause = new RelayPause();
    const backingOff = pause.wait(10_000, true);

    pause.stop();

    expect(pause.isStopped).toBe(true);
    expect(await hasEnded(backingOff)).toBe(true);
    expect(await hasEnded(pause.wait(10_000, true))).toBe(true);
  });
});
