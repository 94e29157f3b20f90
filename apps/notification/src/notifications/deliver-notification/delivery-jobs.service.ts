import { DeliverNotification } from '@app/contracts';
import { OutboxWriter } from '@app/outbox';
import { Injectable } from '@nestjs/common';
import { notificationTopology } from '../../notification.topology';

const DELIVERY_QUEUE = notificationTopology.queues.deliveries.name;

/**
 * Enqueues a recorded notification's delivery job straight to the `notification.deliver` work
 * queue, through the outbox: it is sent if and only if the caller's transaction commits.
 */
@Injectable()
export class DeliveryJobsService {
  constructor(private readonly outbox: OutboxWriter) {}

  async enqueue(notificationId: string): Promise<void> {
    await this.outbox.add(
      DeliverNotification,
      { notificationId },
      { route: { exchange: '', routingKey: DELIVERY_QUEUE } },
    );
  }
}
