import { CompleteConfirmation } from '@app/contracts';
import { MessageController } from '@app/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { notificationTopology } from '../../notification.topology';
import { OrderConfirmationService } from './order-confirmation.service';

/** The chord callback of an order's confirmation, a job on the delivery work queue. */
@MessageController(notificationTopology.queues.deliveries)
export class CompleteConfirmationHandler {
  constructor(private readonly confirmation: OrderConfirmationService) {}

  @EventPattern(CompleteConfirmation)
  async handle(@Payload() job: CompleteConfirmation): Promise<void> {
    await this.confirmation.complete(job.orderId);
  }
}
