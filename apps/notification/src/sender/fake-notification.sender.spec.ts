import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NotificationRow } from '../db/notification.tables';
import { type NotificationConfig, validateNotificationConfig } from '../notification.config';
import { FakeNotificationSender } from './fake-notification.sender';
import { SenderUnavailableError, UndeliverableNotificationError } from './notification-sender';

const notification: NotificationRow = {
  id: '9b2f3c1e-4d5a-4b6c-8d7e-0f1a2b3c4d5e',
  orderId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  kind: 'order-paid',
  channel: 'email',
  status: 'PENDING',
  attempts: 0,
  createdAt: new Date('2026-11-05T10:00:00.000Z'),
  deliveredAt: null,
};

/** A sender configured as boot would configure it from these environment variables. */
function senderWith(env: Record<string, string> = {}): FakeNotificationSender {
  return new FakeNotificationSender(
    new ConfigService<NotificationConfig, true>(validateNotificationConfig(env)),
  );
}

describe('FakeNotificationSender', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('sends (logs) the notification when the draw is at or above the rate', async () => {
    const sender = senderWith({ NOTIFICATION_TRANSIENT_FAILURE_RATE: '0.4' });
    sender.random = () => 0.4;

    await expect(sender.send(notification)).resolves.toBeUndefined();
    expect(Logger.prototype.debug).toHaveBeenCalledWith(
      expect.stringContaining(`order-paid for order ${notification.orderId} by email`),
    );
  });

  it('fails transiently when the draw is below NOTIFICATION_TRANSIENT_FAILURE_RATE', async () => {
    const sender = senderWith({ NOTIFICATION_TRANSIENT_FAILURE_RATE: '0.4' });
    sender.random = () => 0.39;

    await expect(sender.send(notification)).rejects.toBeInstanceOf(SenderUnavailableError);
    expect(Logger.prototype.debug).not.toHaveBeenCalled();
  });

  it('never fails with the default rate of 0, even on a draw of 0', async () => {
    const sender = senderWith();
    sender.random = () => 0;

    await expect(sender.send(notification)).resolves.toBeUndefined();
  });

  it('always fails with a rate of 1', async () => {
    const sender = senderWith({ NOTIFICATION_TRANSIENT_FAILURE_RATE: '1' });
    sender.random = () => 0.999999;

    await expect(sender.send(notification)).rejects.toBeInstanceOf(SenderUnavailableError);
  });

  it('refuses every send on an undeliverable channel for good, whatever the draw', async () => {
    const sender = senderWith({ NOTIFICATION_UNDELIVERABLE_CHANNELS: 'sms,email' });
    sender.random = () => 1;

    await expect(sender.send(notification)).rejects.toThrow(
      new UndeliverableNotificationError(
        'email refuses notifications (NOTIFICATION_UNDELIVERABLE_CHANNELS)',
      ),
    );
    expect(Logger.prototype.debug).not.toHaveBeenCalled();
  });

  it('sends on the channels the setting leaves out', async () => {
    const sender = senderWith({ NOTIFICATION_UNDELIVERABLE_CHANNELS: 'sms' });

    await expect(sender.send(notification)).resolves.toBeUndefined();
  });
});
