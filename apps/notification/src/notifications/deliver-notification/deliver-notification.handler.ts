import { DeliverNotification } from '@app/contracts';
import { type MessageContext, MessageController } from '@app/messaging';
import { EventPattern, Payload, Ctx } from '@nestjs/microservices';
import { notificationTopology } from '../../notification.topology';
import { type Delivered, DeliverNotificationService } from './deliver-notification.service';

@MessageController(notificationTopology.queues.deliveries)
export class DeliverNotificationHandler {
  constructor(private readonly deliverNotification: DeliverNotificationService) {}

  /** What was delivered: the result of the step when the job is a workflow's (a confirmation). */
  @EventPattern(DeliverNotification)
  handle(@Payload() job: DeliverNotification, @Ctx() context: MessageContext): Promise<Delivered> {
    return this.deliverNotification.deliver(job, context);
  }
}
