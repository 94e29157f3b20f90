import type { NotificationRow } from '../db/notification.tables';
import { NotificationSender, SenderUnavailableError } from './notification-sender';

/**
 * How long a send may take. The notification's row stays locked, and a database connection
 * taken, until its send ends: a sender that hangs would hold both until shutdown.
 */
export const SEND_TIMEOUT_MS = 10_000;

/**
 * Fails a send that takes longer than `timeoutMs` as the sender being unavailable, so the job is
 * retried, and aborts the `signal` it gave the adapter. A send that then completes anyway makes a
 * second delivery: at least once, as any timed-out call.
 */
export class TimeLimitedNotificationSender extends NotificationSender {
  constructor(
    private readonly inner: NotificationSender,
    private readonly timeoutMs = SEND_TIMEOUT_MS,
  ) {
    super();
  }

  async send(notification: NotificationRow): Promise<void> {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const error = new SenderUnavailableError(
          `the notification sender did not answer in ${this.timeoutMs} ms`,
        );
        // Rejected first, so this error is the send's even when the adapter rejects on the abort.
        reject(error);
        abort.abort(error);
      }, this.timeoutMs);
    });
    try {
      await Promise.race([this.inner.send(notification, abort.signal), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
