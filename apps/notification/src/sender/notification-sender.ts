import type { NotificationRow } from '../db/notification.tables';

/** The sender failed for a reason worth retrying. */
export class SenderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SenderUnavailableError';
  }
}

/** The channel refuses the notification for good (no such mailbox): sending again is useless. */
export class UndeliverableNotificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndeliverableNotificationError';
  }
}

/** The port to whatever delivers notifications (e-mail, SMS...). Replace the fake adapter here. */
export abstract class NotificationSender {
  /**
   * `notification` is already marked DELIVERED in the handler's transaction, which commits only
   * if this resolves: a rejection leaves it undelivered, to be retried. `signal` aborts when the
   * send has taken too long (TimeLimitedNotificationSender): pass it on to the client you call.
   */
  abstract send(notification: NotificationRow, signal?: AbortSignal): Promise<void>;
}
