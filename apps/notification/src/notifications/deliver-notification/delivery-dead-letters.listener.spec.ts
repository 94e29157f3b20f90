import type { DeadLetteredMessage } from '@app/messaging';
import type { DeliverNotificationService } from './deliver-notification.service';
import { DeliveryDeadLetters } from './delivery-dead-letters.listener';

const NOTIFICATION_ID = '9b2f3c1e-4d5a-4b6c-8d7e-0f1a2b3c4d5e';

const deadLettered = (overrides: Partial<DeadLetteredMessage> = {}): DeadLetteredMessage => ({
  messageId: 'a3bb189e-8bf9-3888-9912-ace4e6543002',
  type: 'notification.deliver',
  queue: 'notification.deliver',
  headers: {},
  reason: 'no such mailbox',
  attempt: 1,
  payload: { notificationId: NOTIFICATION_ID },
  ...overrides,
});

describe('DeliveryDeadLetters', () => {
  const failed = jest.fn((_id: string, _reason: string) => Promise.resolve());
  const listener = new DeliveryDeadLetters({ failed } as unknown as DeliverNotificationService);

  beforeEach(() => failed.mockClear());

  it("fails the job's notification with the reason it was dead-lettered", async () => {
    await listener.deadLettered(deadLettered());
    expect(failed).toHaveBeenCalledWith(NOTIFICATION_ID, 'no such mailbox');
  });

  it('leaves other jobs of the queue alone (a confirmation callback)', async () => {
    await listener.deadLettered(deadLettered({ type: 'notification.complete-confirmation' }));
    expect(failed).not.toHaveBeenCalled();
  });

  it('has nothing to fail for a payload that names no notification', async () => {
    await listener.deadLettered(deadLettered({ payload: undefined }));
    await listener.deadLettered(deadLettered({ payload: { notificationId: 'not-a-uuid' } }));
    expect(failed).not.toHaveBeenCalled();
  });

  it('lets a failure to mark it reach the dead-letter record, which rolls back and copies anyway', async () => {
    failed.mockRejectedValueOnce(new Error('pool timeout'));
    await expect(listener.deadLettered(deadLettered())).rejects.toThrow('pool timeout');
  });
});
