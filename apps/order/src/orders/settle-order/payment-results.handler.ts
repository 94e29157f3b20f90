import { PaymentFailed, PaymentSucceeded } from '@app/contracts';
import { MessageController } from '@app/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { orderTopology } from '../../order.topology';
import { SettleOrderService } from './settle-order.service';

/** Payment's verdicts on the orders: each moves its order's process on. */
@MessageController(orderTopology.queues.paymentResults)
export class PaymentResultsHandler {
  constructor(private readonly settleOrder: SettleOrderService) {}

  @EventPattern(PaymentSucceeded)
  async onPaymentSucceeded(@Payload() event: PaymentSucceeded): Promise<void> {
    await this.settleOrder.paymentSucceeded(event);
  }

  @EventPattern(PaymentFailed)
  async onPaymentFailed(@Payload() event: PaymentFailed): Promise<void> {
    await this.settleOrder.paymentFailed(event.orderId, event.reason);
  }
}
