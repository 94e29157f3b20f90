import type { DeliverNotification } from '@app/contracts';
import { errorMessage, type MessageContext } from '@app/messaging';
import type { DatabaseTransactionHost } from '@app/platform';
import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  NotificationSender,
  UndeliverableNotificationError,
} from '../../sender/notification-sender';
import { NotificationNotFoundError } from '../notification-not-found.error';
import { NotificationRepository } from '../notification.repository';

export interface Delivered {
  notificationId: string;
  channel: string;
}

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

  /** Returns what was delivered: a workflow step's result (an order's confirmation). */
  async deliver(job: DeliverNotification, context: MessageContext): Promise<Delivered> {
    const notification = await this.notifications.findById(job.notificationId);
    if (!notification) throw new NotificationNotFoundError(job.notificationId);
    const delivered = { notificationId: notification.id, channel: notification.channel };
    if (notification.status === 'DELIVERED') return delivered;
    try {
      await this.sender.send(notification);
    } catch (error) {
      await this.recordFailure(notification.id, context, error);
      throw error;
    }
    await this.notifications.markDelivered(notification.id, context.attempt);
    this.logger.log(`Notification ${notification.id} DELIVERED (attempt ${context.attempt})`);
    return delivered;
  }

  /**
   * Records the failed attempt in a transaction of its own, since the handler's rolls back; on
   * the last attempt, or when the send can never succeed, the notification becomes FAILED. A
   * failure to record is logged, never allowed to hide the send error that caused it.
   */
  private async recordFailure(id: string, context: MessageContext, error: unknown): Promise<void> {
    const final =
      error instanceof UndeliverableNotificationError || context.attempt >= context.maxAttempts;
    try {
      await this.txHost.withTransaction(Propagation.RequiresNew, () =>
        this.notifications.recordFailedAttempt(id, context.attempt, final),
      );
    } catch (recordError) {
      this.logger.warn(
        `Could not record failed attempt ${context.attempt} of ${id}: ${errorMessage(recordError)}`,
      );
      return;
    }
    if (final) this.logger.error(`Notification ${id} FAILED after ${context.attempt} attempt(s)`);
  }
}
