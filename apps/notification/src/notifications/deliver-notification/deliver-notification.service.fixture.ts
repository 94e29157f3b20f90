// Shared by the deliver-notification.service.*.spec.ts files.
import type { DeliverNotification } from '@app/contracts';
import type { MessageContext } from '@app/messaging';
import { numberedTransactionsModule, testMessageContext } from '@app/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NotificationRow, NotificationStatus } from '../../db/notification.tables';
import { NotificationSender } from '../../sender/notification-sender';
import { NotificationRepository } from '../notification.repository';
import { DeliverNotificationService } from './deliver-notification.service';

export const NOTIFICATION_ID = '9b2f3c1e-4d5a-4b6c-8d7e-0f1a2b3c4d5e';
export const job: DeliverNotification = { notificationId: NOTIFICATION_ID };

export const notification = (status: NotificationStatus = 'PENDING'): NotificationRow => ({
  id: NOTIFICATION_ID,
  orderId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  kind: 'order-paid',
  channel: 'email',
  status,
  attempts: 0,
  createdAt: new Date('2026-11-05T10:00:00.000Z'),
  deliveredAt: null,
});

export const context = (attempt: number, maxAttempts = 4): MessageContext =>
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

export type DeliverNotificationFixture = Awaited<ReturnType<typeof setup>>;

export async function setup() {
  /** The transaction each write ran in (0 = none), by repository method. */
  const writtenIn: Record<string, number> = {};
  /** What happened, in order: writes, sends and the handler transaction's end. */
  const events: string[] = [];
  const currentTx = () => (txHost.tx as FakeTx).number;
  const notifications: jest.Mocked<
    Pick<
      NotificationRepository,
      'findById' | 'markDelivered' | 'recordFailedAttempt' | 'markFailed'
    >
  > = {
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
  const sender: jest.Mocked<NotificationSender> = {
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
  const service = moduleRef.get(DeliverNotificationService);
  const txHost = moduleRef.get(TransactionHost);
  jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

  /** Runs a delivery the way its handler does: inside the handler's transaction (number 1). */
  const deliverInHandlerTransaction = (attempt: number, maxAttempts?: number) =>
    txHost.withTransaction(() =>
      service.deliver(job, context(attempt, maxAttempts)).finally(() => events.push('tx ends')),
    );

  return { notifications, sender, txHost, service, writtenIn, events, deliverInHandlerTransaction };
}
