import { OrderCreated } from '@app/contracts';
import { MessageController } from '@app/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { paymentTopology } from '../../payment.topology';
import { ProcessPaymentService } from './process-payment.service';

@MessageController(paymentTopology.queues.orderCreated)
export class OrderCreatedHandler {
  constructor(private readonly processPayment: ProcessPaymentService) {}

  @EventPattern(OrderCreated)
  async handle(@Payload() event: OrderCreated): Promise<void> {
    await this.processPayment.process(event);
  }
}
