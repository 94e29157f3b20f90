import { OrderCancelled } from '@app/contracts';
import { HandleMessage } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { notificationTopology } from '../../notification.topology';
import { RecordNotificationService } from './record-notification.service';

@Injectable()
export class OrderCancelledHandler {
  constructor(private readonly recordNotification: RecordNotificationService) {}

  @HandleMessage(notificationTopology.queues.orderEvents, OrderCancelled)
  async handle(event: OrderCancelled): Promise<void> {
    await this.recordNotification.record(event.orderId, 'order-cancelled');
  }
}
