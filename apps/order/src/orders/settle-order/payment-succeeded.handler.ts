import { PaymentSucceeded } from '@app/contracts';
import { MessageController } from '@app/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { orderTopology } from '../../order.topology';
import { SettleOrderService } from './settle-order.service';

@MessageController(orderTopology.queues.paymentResults)
export class PaymentSucceededHandler {
  constructor(private readonly settleOrder: SettleOrderService) {}

  @EventPattern(PaymentSucceeded)
  async handle(@Payload() event: PaymentSucceeded): Promise<void> {
    await this.settleOrder.markPaid(event.orderId);
  }
}
