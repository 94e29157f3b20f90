/** A delivery job names a notification that was never recorded. */
export class NotificationNotFoundError extends Error {
  constructor(readonly notificationId: string) {
    super(`notification ${notificationId} does not exist`);
    this.name = 'NotificationNotFoundError';
  }
}
