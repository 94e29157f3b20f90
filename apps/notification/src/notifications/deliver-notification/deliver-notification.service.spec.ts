import type { DeliverNotification } from '@app/contracts';
import type { MessageContext } from '@app/messaging';
import { numberedTransactionsModule, testMessageContext } from '@app/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NotificationRow, NotificationStatus } from '../../db/notification.tables';
import {
  NotificationSender,
  UndeliverableNotificationError,
} from '../../sender/notification-sender';
import { NotificationNotFoundError } from '../notification-not-found.error';
import { NotificationRepository } from '../notification.repository';
import { DeliverNotificationService } from './deliver-notification.service';

const NOTIFICATION_ID = '9b2f3c1e-4d5a-4b6c-8d7e-0f1a2b3c4d5e';
const job: DeliverNotification = { notificationId: NOTIFICATION_ID };

const notification = (status: NotificationStatus = 'PENDING'): NotificationRow => ({
  id: NOTIFICATION_ID,
  orderId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  kind: 'order-paid',
  channel: 'email',
  status,
  attempts: 0,
  createdAt: new Date('2026-11-05T10:00:00.000Z'),
  deliveredAt: null,
});

const context = (attempt: number, maxAttempts = 4): MessageContext =>
  testMessageContext({
    messageId: 'a3bb189e-8bf9-3888-9912-ace4e6543002',
    type: 'notification.deliver',
    queue: 'notification.deliver',
    correlationId: 'correlation-1',
    attempt,
    maxAttempts,
    headers: {},
  });

/** Stands for a database transaction: each one the adapter opens gets the next number. */
interface FakeTx {
  number: number;
}

describe('DeliverNotificationService', () => {
  let notifications: jest.Mocked<
    Pick<
      NotificationRepository,
      'findById' | 'markDelivered' | 'recordFailedAttempt' | 'markFailed'
    >
  >;
  let sender: jest.Mocked<NotificationSender>;
  let txHost: TransactionHost;
  let service: DeliverNotificationService;
  /** The transaction each write ran in (0 = none), by repository method. */
  let writtenIn: Record<string, number>;
  /** What happened, in order: writes, sends and the handler transaction's end. */
  let events: string[];

  /** Runs a delivery the way its handler does: inside the handler's transaction (number 1). */
  const deliverInHandlerTransaction = (attempt: number, maxAttempts?: number) =>
    txHost.withTransaction(() =>
      service.deliver(job, context(attempt, maxAttempts)).finally(() => events.push('tx ends')),
    );

  beforeEach(async () => {
    writtenIn = {};
    events = [];
    const currentTx = () => (txHost.tx as FakeTx).number;
    notifications = {
      findById: jest.fn().mockResolvedValue(notification('DELIVERED')),
      markDelivered: jest.fn((_id: string, _attempts: number) => {
        writtenIn.markDelivered = currentTx();
        events.push('mark delivered');
        return Promise.resolve<NotificationRow | undefined>(notification('DELIVERED'));
      }),
      recordFailedAttempt: jest.fn((_id: string, _attempts: number) => {
        writtenIn.recordFailedAttempt = currentTx();
        events.push('record failure');
        return Promise.resolve();
      }),
      markFailed: jest.fn((_id: string) => {
        writtenIn.markFailed = currentTx();
        events.push('mark failed');
        return Promise.resolve<{ attempts: number } | undefined>({ attempts: 3 });
      }),
    };
    sender = {
      send: jest.fn((_notification: NotificationRow) => {
        events.push('send');
        return Promise.resolve();
      }),
    };

    // The real TransactionHost over a fake adapter that numbers its transactions (see
    // numberedTransactionsModule): each mock can tell which transaction it ran in.
    const moduleRef = await Test.createTestingModule({
      imports: [numberedTransactionsModule()],
      providers: [
        DeliverNotificationService,
        { provide: NotificationRepository, useValue: notifications },
        { provide: NotificationSender, useValue: sender },
      ],
    }).compile();
    service = moduleRef.get(DeliverNotificationService);
    txHost = moduleRef.get(TransactionHost);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
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
