import { OrderPaid } from '@app/contracts';
import { HandleMessage } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { notificationTopology } from '../../notification.topology';
import { RecordNotificationService } from './record-notification.service';

@Injectable()
export class OrderPaidHandler {
  constructor(private readonly recordNotification: RecordNotificationService) {}

  @HandleMessage(notificationTopology.queues.orderEvents, OrderPaid)
  async handle(event: OrderPaid): Promise<void> {
    await this.recordNotification.record(event.orderId, 'order-paid');
  }
}
