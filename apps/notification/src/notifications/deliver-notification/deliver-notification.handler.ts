import { DeliverNotification } from '@app/contracts';
import { type MessageContext, MessageController } from '@app/messaging';
import { EventPattern, Payload, Ctx } from '@nestjs/microservices';
import { notificationTopology } from '../../notification.topology';
import { DeliverNotificationService } from './deliver-notification.service';

@MessageController(notificationTopology.queues.deliveries)
export class DeliverNotificationHandler {
  constructor(private readonly deliverNotification: DeliverNotificationService) {}

  @EventPattern(DeliverNotification)
  async handle(@Payload() job: DeliverNotification, @Ctx() context: MessageContext): Promise<void> {
    await this.deliverNotification.deliver(job, context);
  }
}
