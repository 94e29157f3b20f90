import { PaymentFailed } from '@app/contracts';
import { MessageController } from '@app/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { orderTopology } from '../../order.topology';
import { SettleOrderService } from './settle-order.service';

@MessageController(orderTopology.queues.paymentResults)
export class PaymentFailedHandler {
  constructor(private readonly settleOrder: SettleOrderService) {}

  @EventPattern(PaymentFailed)
  async handle(@Payload() event: PaymentFailed): Promise<void> {
    await this.settleOrder.cancel(event.orderId, event.reason);
  }
}
