import { OrderCancelled } from '@app/contracts';
import { MessageController } from '@app/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { notificationTopology } from '../../notification.topology';
import { RecordNotificationService } from './record-notification.service';

@MessageController(notificationTopology.queues.orderEvents)
export class OrderCancelledHandler {
  constructor(private readonly recordNotification: RecordNotificationService) {}

  @EventPattern(OrderCancelled)
  async handle(@Payload() event: OrderCancelled): Promise<void> {
    await this.recordNotification.record(event.orderId, 'order-cancelled');
  }
}
