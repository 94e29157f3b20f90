import { UndeliverableNotificationError } from '../../sender/notification-sender';
import type { DeliverNotificationFixture } from './deliver-notification.service.fixture';
import { context, job, NOTIFICATION_ID, setup } from './deliver-notification.service.fixture';

describe('DeliverNotificationService', () => {
  let notifications: DeliverNotificationFixture['notifications'];
  let sender: DeliverNotificationFixture['sender'];
  let service: DeliverNotificationFixture['service'];
  let writtenIn: DeliverNotificationFixture['writtenIn'];
  let events: DeliverNotificationFixture['events'];
  let deliverInHandlerTransaction: DeliverNotificationFixture['deliverInHandlerTransaction'];

  beforeEach(async () => {
    ({ notifications, sender, service, writtenIn, events, deliverInHandlerTransaction } =
      await setup());
  });

  afterEach(() => jest.restoreAllMocks());

  describe('when the send fails', () => {
    const unavailable = new Error('smtp down');
    beforeEach(() =>
      sender.send.mockImplementation(() => {
        events.push('send');
        return Promise.reject(unavailable);
      }),
    );

    it('rethrows the error so the job is retried', async () => {
      await expect(deliverInHandlerTransaction(1)).rejects.toBe(unavailable);
    });

    it('records the failed attempt only after the handler transaction, and its mark, rolled back', async () => {
      await expect(deliverInHandlerTransaction(1)).rejects.toBe(unavailable);
      expect(events).toEqual(['mark delivered', 'send', 'tx ends', 'record failure']);
    });

    it('refuses to run outside a transaction, where its mark would already be committed', async () => {
      await expect(service.deliver(job, context(1))).rejects.toThrow(
        'Deliveries must run in a transaction',
      );
    });

    it('still rethrows the send error when recording the failed attempt fails', async () => {
      notifications.recordFailedAttempt.mockRejectedValue(new Error('pool timeout'));
      await expect(deliverInHandlerTransaction(4, 4)).rejects.toBe(unavailable);
    });

    it('records a send that can never succeed as an attempt, not as FAILED (its dead-lettering does)', async () => {
      sender.send.mockRejectedValue(new UndeliverableNotificationError('no such mailbox'));
      await expect(deliverInHandlerTransaction(1, 4)).rejects.toBeInstanceOf(
        UndeliverableNotificationError,
      );
      expect(notifications.recordFailedAttempt).toHaveBeenCalledWith(NOTIFICATION_ID, 1);
      expect(notifications.markFailed).not.toHaveBeenCalled();
    });

    it('records the failed attempt in a new transaction, not the handler one', async () => {
      await expect(deliverInHandlerTransaction(1)).rejects.toBe(unavailable);

      expect(notifications.recordFailedAttempt).toHaveBeenCalledTimes(1);
      expect(writtenIn.recordFailedAttempt).toBe(2);
    });

    it.each([
      [1, 4],
      [4, 4],
      [1, 1],
    ])('on attempt %i of %i records the attempt and leaves the status', async (attempt, max) => {
      await expect(deliverInHandlerTransaction(attempt, max)).rejects.toBe(unavailable);

      expect(notifications.recordFailedAttempt).toHaveBeenCalledWith(NOTIFICATION_ID, attempt);
      expect(notifications.markFailed).not.toHaveBeenCalled();
    });
  });
});
