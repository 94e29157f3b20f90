import {
  channelsOf,
  CompleteConfirmation,
  CONFIRMATION_KIND,
  DeliverNotification,
} from '@app/contracts';
import { group, step, Workflows } from '@app/workflow';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DeliveryJobsService } from '../deliver-notification/delivery-jobs.service';
import type { NotificationRow } from '../../db/notification.tables';
import { NotificationRepository } from '../notification.repository';
import { ConfirmationNotFoundError } from './confirmation-not-found.error';
import { OrderConfirmationRepository } from './order-confirmation.repository';

/**
 * An order's confirmation goes out on every channel of its customer at once: a notification per
 * channel, delivered by a group of jobs on the delivery work queue, whose chord callback records
 * the confirmation complete once every delivery has succeeded (once, whatever the duplicates and
 * replicas: the join state is the workflow's, in this service's schema).
 */
@Injectable()
export class OrderConfirmationService {
  private readonly logger = new Logger(OrderConfirmationService.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly confirmations: OrderConfirmationRepository,
    private readonly workflows: Workflows,
    private readonly deliveryJobs: DeliveryJobsService,
  ) {}

  /** In the consuming handler's transaction: the notifications, their deliveries and the chord. */
  async send(orderId: string): Promise<void> {
    const channels = channelsOf(CONFIRMATION_KIND);
    const recorded = await this.notifications.insertEachOnce(
      channels.map((channel) => ({ id: randomUUID(), orderId, kind: CONFIRMATION_KIND, channel })),
    );
    if (recorded.length === 0) {
      this.logger.warn(`Order ${orderId} already has its confirmation`);
      return;
    }
    if (recorded.length < channels.length) return this.sendOnNewChannels(orderId, recorded);
    const deliveries = recorded.map((notification) =>
      step(DeliverNotification, { notificationId: notification.id }),
    );
    const workflowId = await this.workflows.chord(
      group(...deliveries),
      step(CompleteConfirmation, { orderId }),
    );
    await this.confirmations.insert(orderId, workflowId);
    this.logger.log(
      `Sending the confirmation of order ${orderId} on ${deliveries.length} channel(s) (workflow ${workflowId})`,
    );
  }

  /**
   * The order's confirmation went out before, and a channel was added since: the new channels'
   * notifications are delivered on their own, outside the chord, whose confirmation stands.
   */
  private async sendOnNewChannels(orderId: string, added: NotificationRow[]): Promise<void> {
    for (const notification of added) await this.deliveryJobs.enqueue(notification.id);
    const channels = added.map((notification) => notification.channel).join(', ');
    this.logger.log(`Order ${orderId} already has its confirmation; sending it on ${channels} too`);
  }

  async complete(orderId: string): Promise<void> {
    if (await this.confirmations.markComplete(orderId)) {
      this.logger.log(`Confirmation of order ${orderId} complete: delivered on every channel`);
      return;
    }
    if (!(await this.confirmations.find(orderId))) throw new ConfirmationNotFoundError(orderId);
    this.logger.warn(`Confirmation of order ${orderId} was already complete`);
  }
}
