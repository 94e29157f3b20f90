import { OrderCreated } from '@app/contracts';
import { HandleMessage } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { notificationTopology } from '../../notification.topology';
import { RecordNotificationService } from './record-notification.service';

@Injectable()
export class OrderCreatedHandler {
  constructor(private readonly recordNotification: RecordNotificationService) {}

  @HandleMessage(notificationTopology.queues.orderEvents, OrderCreated)
  async handle(event: OrderCreated): Promise<void> {
    await this.recordNotification.record(event.orderId, 'order-received');
  }
}
