import { Logger } from '@nestjs/common';
import type { DeliverNotificationFixture } from './deliver-notification.service.fixture';
import { NOTIFICATION_ID, setup } from './deliver-notification.service.fixture';

describe('DeliverNotificationService', () => {
  let notifications: DeliverNotificationFixture['notifications'];
  let txHost: DeliverNotificationFixture['txHost'];
  let service: DeliverNotificationFixture['service'];
  let writtenIn: DeliverNotificationFixture['writtenIn'];
  let events: DeliverNotificationFixture['events'];

  beforeEach(async () => {
    ({ notifications, txHost, service, writtenIn, events } = await setup());
  });

  afterEach(() => jest.restoreAllMocks());

  describe('when its job is dead-lettered', () => {
    const failInRecordTransaction = () =>
      txHost.withTransaction(() =>
        service.failed(NOTIFICATION_ID, 'retries exhausted').finally(() => events.push('tx ends')),
      );

    it('marks the notification FAILED in the transaction that records the copy', async () => {
      await failInRecordTransaction();
      expect(notifications.markFailed).toHaveBeenCalledWith(NOTIFICATION_ID);
      expect(writtenIn.markFailed).toBe(1);
    });

    it('says FAILED once the record has committed, with the attempts and the reason', async () => {
      const error = jest.spyOn(Logger.prototype, 'error');
      error.mockImplementation(() => events.push('logged'));
      await failInRecordTransaction();
      expect(events).toEqual(['mark failed', 'tx ends', 'logged']);
      expect(error).toHaveBeenCalledWith(
        `Notification ${NOTIFICATION_ID} FAILED after 3 attempt(s), its job dead-lettered: retries exhausted`,
      );
    });

    it('says nothing when a copy of the job delivered it (or it does not exist)', async () => {
      notifications.markFailed.mockResolvedValue(undefined);
      await failInRecordTransaction();
      expect(Logger.prototype.error).not.toHaveBeenCalled();
    });
  });
});
