import { NotificationNotFoundError } from '../notification-not-found.error';
import type { DeliverNotificationFixture } from './deliver-notification.service.fixture';
import { NOTIFICATION_ID, notification, setup } from './deliver-notification.service.fixture';

describe('DeliverNotificationService', () => {
  let notifications: DeliverNotificationFixture['notifications'];
  let sender: DeliverNotificationFixture['sender'];
  let writtenIn: DeliverNotificationFixture['writtenIn'];
  let events: DeliverNotificationFixture['events'];
  let deliverInHandlerTransaction: DeliverNotificationFixture['deliverInHandlerTransaction'];

  beforeEach(async () => {
    ({ notifications, sender, writtenIn, events, deliverInHandlerTransaction } = await setup());
  });

  afterEach(() => jest.restoreAllMocks());

  it('fails permanently when the notification does not exist', async () => {
    notifications.markDelivered.mockResolvedValue(undefined);
    notifications.findById.mockResolvedValue(undefined);

    await expect(deliverInHandlerTransaction(1)).rejects.toBeInstanceOf(NotificationNotFoundError);
    expect(notifications.findById).toHaveBeenCalledWith(NOTIFICATION_ID);
    expect(sender.send).not.toHaveBeenCalled();
  });

  it('does not send an already DELIVERED notification again', async () => {
    notifications.markDelivered.mockResolvedValue(undefined);

    await expect(deliverInHandlerTransaction(2)).resolves.toEqual({
      notificationId: NOTIFICATION_ID,
      channel: 'email',
    });
    expect(sender.send).not.toHaveBeenCalled();
  });

  it('marks the notification DELIVERED with attempts = this attempt, then sends it', async () => {
    await expect(deliverInHandlerTransaction(3)).resolves.toEqual({
      notificationId: NOTIFICATION_ID,
      channel: 'email',
    });

    expect(notifications.markDelivered).toHaveBeenCalledWith(NOTIFICATION_ID, 3);
    expect(writtenIn.markDelivered).toBe(1);
    expect(sender.send).toHaveBeenCalledWith(notification('DELIVERED'));
    expect(events).toEqual(['mark delivered', 'send', 'tx ends']);
    // One statement: the mark says it was not delivered before.
    expect(notifications.findById).not.toHaveBeenCalled();
    expect(notifications.recordFailedAttempt).not.toHaveBeenCalled();
  });
});
