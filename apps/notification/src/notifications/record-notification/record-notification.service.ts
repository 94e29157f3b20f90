import { CONFIRMATION_KIND, DeliverNotification, type NotificationKind } from '@app/contracts';
import { OutboxWriter } from '@app/outbox';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { notificationTopology } from '../../notification.topology';
import { OrderConfirmationService } from '../confirm-order/order-confirmation.service';
import { NotificationRepository } from '../notification.repository';

const DELIVERY_QUEUE = notificationTopology.queues.deliveries.name;

/**
 * Records the notification an order event calls for and enqueues its delivery job on the
 * `notification.deliver` work queue, both in the consuming handler's transaction. The order's
 * confirmation goes on every channel, as a workflow (OrderConfirmationService).
 */
@Injectable()
export class RecordNotificationService {
  private readonly logger = new Logger(RecordNotificationService.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly outbox: OutboxWriter,
    private readonly confirmation: OrderConfirmationService,
  ) {}

  async record(orderId: string, kind: NotificationKind): Promise<void> {
    if (kind === CONFIRMATION_KIND) return this.confirmation.send(orderId);
    const notification = await this.notifications.insertOnce({
      id: randomUUID(),
      orderId,
      kind,
      channel: 'email',
    });
    if (!notification) {
      this.logger.warn(`Order ${orderId} already has an ${kind} notification`);
      return;
    }
    await this.outbox.add(
      DeliverNotification,
      { notificationId: notification.id },
      { route: { exchange: '', routingKey: DELIVERY_QUEUE } },
    );
    this.logger.log(`Recorded ${kind} notification ${notification.id} for order ${orderId}`);
  }
}
