import { DeliverNotification } from '@app/contracts';
import { HandleMessage, type MessageContext } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { notificationTopology } from '../../notification.topology';
import { DeliverNotificationService } from './deliver-notification.service';

@Injectable()
export class DeliverNotificationHandler {
  constructor(private readonly deliverNotification: DeliverNotificationService) {}

  @HandleMessage(notificationTopology.queues.deliveries, DeliverNotification)
  async handle(job: DeliverNotification, context: MessageContext): Promise<void> {
    await this.deliverNotification.deliver(job, context);
  }
}
