import { NOTIFICATION_CHANNELS } from '@app/contracts';
import { type GroupSignature, type StepSignature, Workflows } from '@app/workflow';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NotificationRow } from '../../db/notification.tables';
import { DeliveryJobsService } from '../deliver-notification/delivery-jobs.service';
import { type NewNotification, NotificationRepository } from '../notification.repository';
import { ConfirmationNotFoundError } from './confirmation-not-found.error';
import { OrderConfirmationRepository } from './order-confirmation.repository';
import { OrderConfirmationService } from './order-confirmation.service';

const ORDER_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const WORKFLOW_ID = 'c1f0e6a2-3b4d-4e5f-8a9b-0c1d2e3f4a5b';

const row = (notification: NewNotification): NotificationRow => ({
  ...notification,
  status: 'PENDING',
  attempts: 0,
  createdAt: new Date(),
  deliveredAt: null,
});

describe('OrderConfirmationService', () => {
  let notifications: jest.Mocked<Pick<NotificationRepository, 'insertEachOnce'>>;
  let confirmations: jest.Mocked<
    Pick<OrderConfirmationRepository, 'insert' | 'markComplete' | 'find'>
  >;
  let workflows: jest.Mocked<Pick<Workflows, 'chord'>>;
  let deliveryJobs: jest.Mocked<Pick<DeliveryJobsService, 'enqueue'>>;
  let service: OrderConfirmationService;

  beforeEach(async () => {
    notifications = { insertEachOnce: jest.fn((list) => Promise.resolve(list.map(row))) };
    confirmations = {
      insert: jest.fn().mockResolvedValue(undefined),
      markComplete: jest.fn().mockResolvedValue(undefined),
      find: jest.fn().mockResolvedValue(undefined),
    };
    workflows = { chord: jest.fn().mockResolvedValue(WORKFLOW_ID) };
    deliveryJobs = { enqueue: jest.fn().mockResolvedValue(undefined) };
    const moduleRef = await Test.createTestingModule({
      providers: [
        OrderConfirmationService,
        { provide: NotificationRepository, useValue: notifications },
        { provide: OrderConfirmationRepository, useValue: confirmations },
        { provide: Workflows, useValue: workflows },
        { provide: DeliveryJobsService, useValue: deliveryJobs },
      ],
    }).compile();
    service = moduleRef.get(OrderConfirmationService);
  });

  // The service tells its story in the log; the tests read what it wrote and sent.
  beforeEach(() => {
    for (const level of ['log', 'warn'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
  });

  afterEach(() => jest.restoreAllMocks());

  it('records a notification per channel and delivers them as a chord with its callback', async () => {
    await service.send(ORDER_ID);

    const [[recorded]] = notifications.insertEachOnce.mock.calls;
    expect(recorded.map((notification) => notification.channel)).toEqual(NOTIFICATION_CHANNELS);
    const [[deliveries, callback]] = workflows.chord.mock.calls as unknown as [
      [GroupSignature, StepSignature],
    ];
    expect(deliveries.steps.map((step) => step.payload)).toEqual(
      recorded.map((notification) => ({ notificationId: notification.id })),
    );
    expect(callback.payload).toEqual({ orderId: ORDER_ID });
    expect(confirmations.insert).toHaveBeenCalledWith(ORDER_ID, WORKFLOW_ID);
    expect(deliveryJobs.enqueue).not.toHaveBeenCalled();
  });

  it('starts nothing when the confirmation was recorded before', async () => {
    notifications.insertEachOnce.mockResolvedValue([]);

    await service.send(ORDER_ID);

    expect(workflows.chord).not.toHaveBeenCalled();
    expect(confirmations.insert).not.toHaveBeenCalled();
    expect(deliveryJobs.enqueue).not.toHaveBeenCalled();
  });

  it('delivers a channel added since on its own, leaving the first confirmation as it stands', async () => {
    // Only the new channel's row is inserted: the others were recorded by the first copy.
    notifications.insertEachOnce.mockImplementation((list) =>
      Promise.resolve(list.slice(-1).map(row)),
    );

    await service.send(ORDER_ID);

    const [[recorded]] = notifications.insertEachOnce.mock.calls;
    expect(deliveryJobs.enqueue).toHaveBeenCalledTimes(1);
    expect(deliveryJobs.enqueue).toHaveBeenCalledWith(recorded.at(-1)?.id);
    expect(workflows.chord).not.toHaveBeenCalled();
    expect(confirmations.insert).not.toHaveBeenCalled();
  });

  it('completes a confirmation once, and fails for one never recorded', async () => {
    confirmations.markComplete.mockResolvedValueOnce({
      orderId: ORDER_ID,
      workflowId: WORKFLOW_ID,
      createdAt: new Date(),
      completedAt: new Date(),
    });
    await expect(service.complete(ORDER_ID)).resolves.toBeUndefined();

    await expect(service.complete(ORDER_ID)).rejects.toBeInstanceOf(ConfirmationNotFoundError);
  });
});
