import { OrderCreated } from '@app/contracts';
import { MessageController } from '@app/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { notificationTopology } from '../../notification.topology';
import { RecordNotificationService } from './record-notification.service';

@MessageController(notificationTopology.queues.orderEvents)
export class OrderCreatedHandler {
  constructor(private readonly recordNotification: RecordNotificationService) {}

  @EventPattern(OrderCreated)
  async handle(@Payload() event: OrderCreated): Promise<void> {
    await this.recordNotification.record(event.orderId, 'order-received');
  }
}
