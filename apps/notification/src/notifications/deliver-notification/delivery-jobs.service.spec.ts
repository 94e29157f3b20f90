import { DeliverNotification } from '@app/contracts';
import type { OutboxWriter } from '@app/outbox';
import { DeliveryJobsService } from './delivery-jobs.service';

describe('DeliveryJobsService', () => {
  it('writes the job to the outbox, routed straight to the notification.deliver queue', async () => {
    const outbox = { add: jest.fn().mockResolvedValue('message-id') };
    const jobs = new DeliveryJobsService(outbox as unknown as OutboxWriter);

    await jobs.enqueue('9b2f3c1e-4d5a-4b6c-8d7e-0f1a2b3c4d5e');

    expect(outbox.add).toHaveBeenCalledWith(
      DeliverNotification,
      { notificationId: '9b2f3c1e-4d5a-4b6c-8d7e-0f1a2b3c4d5e' },
      { route: { exchange: '', routingKey: 'notification.deliver' } },
    );
  });
});
