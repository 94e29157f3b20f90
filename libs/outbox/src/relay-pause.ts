/**
 * The relay's pause between batches: a timer that a kick cuts short, except a backoff's, and that
 * a stop ends at once. A kick while no pause runs is kept for the next one, which then does not
 * wait: rows committed while a batch ran go with the next batch.
 */
export class RelayPause {
  private wake?: () => void;
  private pendingWake = false;
  private stopped = false;

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Rows may be waiting: end the pause now, or skip the next one. */
  kick(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  /** Ends every pause from now on, the one running too (its kick may have come mid-batch). */
  stop(): void {
    this.stopped = true;
    this.kick();
  }

  wait(ms: number, backingOff: boolean): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.pendingWake && !backingOff) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        if (!backingOff || this.stopped) done();
      };
    }).finally(() => {
      this.wake = undefined;
      this.pendingWake = false;
    });
  }
}
