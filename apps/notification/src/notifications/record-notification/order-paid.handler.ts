import { OrderPaid } from '@app/contracts';
import { MessageController } from '@app/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { notificationTopology } from '../../notification.topology';
import { RecordNotificationService } from './record-notification.service';

@MessageController(notificationTopology.queues.orderEvents)
export class OrderPaidHandler {
  constructor(private readonly recordNotification: RecordNotificationService) {}

  @EventPattern(OrderPaid)
  async handle(@Payload() event: OrderPaid): Promise<void> {
    await this.recordNotification.record(event.orderId, 'order-paid');
  }
}
