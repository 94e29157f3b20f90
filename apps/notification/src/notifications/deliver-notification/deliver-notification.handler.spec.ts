import { DeliverNotification } from '@app/contracts';
import { messageRoutesOf } from '@app/messaging';
import { testMessageContext } from '@app/testing';
import { notificationTopology } from '../../notification.topology';
import { DeliverNotificationHandler } from './deliver-notification.handler';
import type { DeliverNotificationService } from './deliver-notification.service';

const job: DeliverNotification = { notificationId: '9b2f3c1e-4d5a-4b6c-8d7e-0f1a2b3c4d5e' };
const context = testMessageContext({
  messageId: 'a3bb189e-8bf9-3888-9912-ace4e6543002',
  type: 'notification.deliver',
  queue: 'notification.deliver',
  correlationId: 'correlation-1',
  attempt: 2,
  maxAttempts: 4,
  headers: {},
});

describe('DeliverNotificationHandler', () => {
  it('delivers the job with its message context (for the attempt count)', async () => {
    const deliverNotification: jest.Mocked<Pick<DeliverNotificationService, 'deliver'>> = {
      deliver: jest.fn().mockResolvedValue(undefined),
    };
    const handler = new DeliverNotificationHandler(
      deliverNotification as unknown as DeliverNotificationService,
    );

    await handler.handle(job, context);

    expect(deliverNotification.deliver).toHaveBeenCalledWith(job, context);
  });

  it('consumes delivery jobs from the notification.deliver work queue', () => {
    const [route] = messageRoutesOf(DeliverNotificationHandler);

    expect(route.kind).toBe('event');
    expect(route.queue).toBe(notificationTopology.queues.deliveries);
    expect(route.pattern).toBe(DeliverNotification);
    expect(route.queue?.name).toBe('notification.deliver');
  });
});
