import { channelsOf, CONFIRMATION_KIND, type NotificationKind } from '@app/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { OrderConfirmationService } from '../confirm-order/order-confirmation.service';
import { DeliveryJobsService } from '../deliver-notification/delivery-jobs.service';
import type { NotificationRow } from '../../db/notification.tables';
import { NotificationRepository } from '../notification.repository';

/**
 * Records the notification an order event calls for, one per channel of its kind, and enqueues
 * a delivery job for each on the `notification.deliver` work queue, all in the consuming
 * handler's transaction. The order's confirmation goes on every channel, as a workflow
 * (OrderConfirmationService).
 */
@Injectable()
export class RecordNotificationService {
  private readonly logger = new Logger(RecordNotificationService.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly deliveryJobs: DeliveryJobsService,
    private readonly confirmation: OrderConfirmationService,
  ) {}

  async record(orderId: string, kind: NotificationKind): Promise<void> {
    if (kind === CONFIRMATION_KIND) return this.confirmation.send(orderId);
    const recorded = await this.notifications.insertEachOnce(
      channelsOf(kind).map((channel) => ({ id: randomUUID(), orderId, kind, channel })),
    );
    if (recorded.length === 0) {
      this.logger.warn(`Order ${orderId} already has an ${kind} notification`);
      return;
    }
    // Only the rows this call inserted get a job: a channel added since an earlier copy of the
    // event gets its notification, the others are not sent twice.
    for (const notification of recorded) await this.enqueue(orderId, notification);
  }

  private async enqueue(orderId: string, notification: NotificationRow): Promise<void> {
    await this.deliveryJobs.enqueue(notification.id);
    this.logger.log(
      `Recorded ${notification.kind} notification ${notification.id} for order ${orderId} (${notification.channel})`,
    );
  }
}
