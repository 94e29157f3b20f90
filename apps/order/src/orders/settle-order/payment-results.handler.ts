import { PaymentFailed, PaymentSucceeded } from '@app/contracts';
import { MessageController } from '@app/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { orderTopology } from '../../order.topology';
import { SettleOrderService } from './settle-order.service';

/** Payment's verdicts on the orders: each settles its order, one way or the other. */
@MessageController(orderTopology.queues.paymentResults)
export class PaymentResultsHandler {
  constructor(private readonly settleOrder: SettleOrderService) {}

  @EventPattern(PaymentSucceeded)
  async onPaymentSucceeded(@Payload() event: PaymentSucceeded): Promise<void> {
    await this.settleOrder.markPaid(event.orderId);
  }

  @EventPattern(PaymentFailed)
  async onPaymentFailed(@Payload() event: PaymentFailed): Promise<void> {
    await this.settleOrder.cancel(event.orderId, event.reason);
  }
}
