import { channelsOf, CONFIRMATION_KIND, NOTIFICATION_KINDS } from '@app/contracts';
import { Logger } from '@nestjs/common';
import type { NotificationRow } from '../../db/notification.tables';
import type { OrderConfirmationService } from '../confirm-order/order-confirmation.service';
import type { DeliveryJobsService } from '../deliver-notification/delivery-jobs.service';
import type { NotificationRepository } from '../notification.repository';
import { RecordNotificationService } from './record-notification.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ORDER_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('RecordNotificationService', () => {
  let notifications: jest.Mocked<Pick<NotificationRepository, 'insertEachOnce'>>;
  let deliveryJobs: jest.Mocked<Pick<DeliveryJobsService, 'enqueue'>>;
  let confirmation: jest.Mocked<Pick<OrderConfirmationService, 'send'>>;
  let service: RecordNotificationService;

  beforeEach(() => {
    notifications = {
      insertEachOnce: jest.fn((list) =>
        Promise.resolve<NotificationRow[]>(
          list.map((notification) => ({
            ...notification,
            status: 'PENDING',
            attempts: 0,
            createdAt: new Date(),
            deliveredAt: null,
          })),
        ),
      ),
    };
    deliveryJobs = { enqueue: jest.fn().mockResolvedValue(undefined) };
    confirmation = { send: jest.fn().mockResolvedValue(undefined) };
    service = new RecordNotificationService(
      notifications as unknown as NotificationRepository,
      deliveryJobs as unknown as DeliveryJobsService,
      confirmation as unknown as OrderConfirmationService,
    );
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  const byEmail = NOTIFICATION_KINDS.filter((kind) => kind !== CONFIRMATION_KIND);

  it.each(byEmail)('records a %s notification per channel of its kind', async (kind) => {
    await service.record(ORDER_ID, kind);

    expect(notifications.insertEachOnce).toHaveBeenCalledWith(
      channelsOf(kind).map((channel) => ({
        id: expect.stringMatching(UUID),
        orderId: ORDER_ID,
        kind,
        channel,
      })),
    );
  });

  it("enqueues the recorded notification's delivery job", async () => {
    await service.record(ORDER_ID, 'order-paid');

    const [[recorded]] = notifications.insertEachOnce.mock.calls[0];
    expect(deliveryJobs.enqueue).toHaveBeenCalledTimes(1);
    expect(deliveryJobs.enqueue).toHaveBeenCalledWith(recorded.id);
  });

  it("sends the order's confirmation through OrderConfirmationService", async () => {
    await service.record(ORDER_ID, CONFIRMATION_KIND);

    expect(confirmation.send).toHaveBeenCalledWith(ORDER_ID);
    expect(notifications.insertEachOnce).not.toHaveBeenCalled();
    expect(deliveryJobs.enqueue).not.toHaveBeenCalled();
  });

  it('enqueues nothing when the notification was already recorded', async () => {
    notifications.insertEachOnce.mockResolvedValue([]);

    await expect(service.record(ORDER_ID, 'order-paid')).resolves.toBeUndefined();
    expect(deliveryJobs.enqueue).not.toHaveBeenCalled();
  });
});
