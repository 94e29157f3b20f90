import type { DeliverNotification } from '@app/contracts';
import { type MessageContext, PermanentMessageError } from '@app/messaging';
import type { DatabaseTransactionHost } from '@app/platform';
import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { NotificationSender } from '../../sender/notification-sender';
import { NotificationRepository } from '../notification.repository';

/**
 * Delivers one recorded notification and marks it DELIVERED. A failed send is recorded in a
 * transaction of its own (the handler's rolls back) and rethrown, so the job is retried; on the
 * last attempt the notification is marked FAILED before the job goes to the dead-letter queue.
 */
@Injectable()
export class DeliverNotificationService {
  private readonly logger = new Logger(DeliverNotificationService.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly sender: NotificationSender,
    @Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost,
  ) {}

  async deliver(job: DeliverNotification, context: MessageContext): Promise<void> {
    const notification = await this.notifications.findById(job.notificationId);
    if (!notification) {
      throw new PermanentMessageError(`notification ${job.notificationId} does not exist`);
    }
    if (notification.status === 'DELIVERED') return;
    try {
      await this.sender.send(notification);
    } catch (error) {
      const final = context.attempt >= context.maxAttempts;
      await this.txHost.withTransaction(Propagation.RequiresNew, () =>
        this.notifications.recordFailedAttempt(notification.id, context.attempt, final),
      );
      if (final)
        this.logger.error(
          `Notification ${notification.id} FAILED after ${context.attempt} attempts`,
        );
      throw error;
    }
    await this.notifications.markDelivered(notification.id, context.attempt);
    this.logger.log(`Notification ${notification.id} DELIVERED (attempt ${context.attempt})`);
  }
}
