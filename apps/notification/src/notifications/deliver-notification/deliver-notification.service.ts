import type { DeliverNotification } from '@app/contracts';
import { errorMessage, type MessageContext } from '@app/messaging';
import { afterCommit, afterRollback, type DatabaseTransactionHost } from '@app/platform';
import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { NotificationSender } from '../../sender/notification-sender';
import { NotificationNotFoundError } from '../notification-not-found.error';
import { NotificationRepository } from '../notification.repository';

export interface Delivered {
  notificationId: string;
  channel: string;
}

/**
 * Delivers one recorded notification and marks it DELIVERED. The mark comes first, in the
 * handler's transaction: one statement finds the notification not yet delivered and locks it, so
 * a second copy of the job waits, then finds it DELIVERED and sends nothing. A failed send rolls
 * the mark back with the handler's transaction and is rethrown, so the job is retried; the failed
 * attempt is recorded once that rollback has released the row. The notification becomes FAILED
 * when its job is dead-lettered, whatever the reason (see DeliveryDeadLetters): attempts used up,
 * a send that can never succeed, a job refused before it ran.
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
    const notification = await this.notifications.markDelivered(
      job.notificationId,
      context.attempt,
    );
    if (!notification) return this.deliveredBefore(job.notificationId);
    try {
      await this.sender.send(notification);
    } catch (error) {
      const recorded = afterRollback(this.txHost.tx, () =>
        this.recordFailure(notification.id, context),
      );
      // Outside a transaction the DELIVERED mark has committed already: a wiring error to surface.
      if (!recorded) throw new Error('Deliveries must run in a transaction', { cause: error });
      throw error;
    }
    this.logger.log(`Notification ${notification.id} DELIVERED (attempt ${context.attempt})`);
    return { notificationId: notification.id, channel: notification.channel };
  }

  /** Nothing was marked: the notification was delivered before, or does not exist. */
  private async deliveredBefore(id: string): Promise<Delivered> {
    const notification = await this.notifications.findById(id);
    if (!notification) throw new NotificationNotFoundError(id);
    return { notificationId: notification.id, channel: notification.channel };
  }

  /**
   * Its job was dead-lettered: the notification is FAILED, unless a copy delivered it. Runs in
   * the transaction that records the dead-letter copy.
   */
  async failed(id: string, reason: string): Promise<void> {
    const marked = await this.notifications.markFailed(id);
    if (!marked) return;
    // Said once it stands: the record rolls back if the broker refuses the dead-letter copy.
    afterCommit(this.txHost.tx, () =>
      this.logger.error(
        `Notification ${id} FAILED after ${marked.attempts} attempt(s), its job dead-lettered: ${reason}`,
      ),
    );
  }

  /**
   * Records the failed attempt in a transaction of its own, since the handler's rolled back. A
   * failure to record is logged, never allowed to hide the send error that caused it.
   */
  private async recordFailure(id: string, context: MessageContext): Promise<void> {
    try {
      await this.txHost.withTransaction(Propagation.RequiresNew, () =>
        this.notifications.recordFailedAttempt(id, context.attempt),
      );
    } catch (recordError) {
      this.logger.warn(
        `Could not record failed attempt ${context.attempt} of ${id}: ${errorMessage(recordError)}`,
      );
    }
  }
}
