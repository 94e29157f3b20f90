const FIRST_PAUSE_MS = 1_000;
const MAX_PAUSE_MS = 30_000;

/** The process began shutting down while a message was held through an outage. */
export class ShutdownDuringOutageError extends Error {
  constructor(readonly outage: unknown) {
    super('shutting down while waiting for the store to come back');
    this.name = 'ShutdownDuringOutageError';
  }
}

export interface HoldOptions {
  isOutage: (error: unknown) => boolean | Promise<boolean>;
  /** Aborted when the process starts shutting down. */
  stopping: AbortSignal;
  onHold: (error: unknown, pauseMs: number) => void;
}

/**
 * Runs `work` again and again while it fails because the store is unreachable, pausing longer
 * each time (1 s, 2 s … 30 s), so an outage neither burns the message's attempts nor spins. The
 * message stays unacked meanwhile; prefetch bounds how many are held. Other errors pass through.
 */
export async function holdThroughOutage<T>(
  work: () => Promise<T>,
  options: HoldOptions,
): Promise<T> {
  let pauseMs = FIRST_PAUSE_MS;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!(await options.isOutage(error))) throw error;
      if (options.stopping.aborted) throw new ShutdownDuringOutageError(error);
      options.onHold(error, pauseMs);
      await pause(pauseMs, options.stopping);
      pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS);
    }
  }
}

function pause(ms: number, stopping: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stopping.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stopping.addEventListener('abort', done, { once: true });
  });
}
