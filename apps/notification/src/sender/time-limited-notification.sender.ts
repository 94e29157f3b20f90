import { settlesWithin } from '@app/platform';
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
    if (await settlesWithin(this.inner.send(notification, abort.signal), this.timeoutMs)) return;
    // Decided before the abort: an adapter that rejects on it does not change the error.
    const error = new SenderUnavailableError(
      `the notification sender did not answer in ${this.timeoutMs} ms`,
    );
    abort.abort(error);
    throw error;
  }
}
