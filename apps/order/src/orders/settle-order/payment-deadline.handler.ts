import { PaymentDeadline } from '@app/contracts';
import { MessageController } from '@app/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { orderTopology } from '../../order.topology';
import { SettleOrderService } from './settle-order.service';

/** An order's payment deadline, come due: cancels the order if it is still waiting. */
@MessageController(orderTopology.queues.paymentDeadlines)
export class PaymentDeadlineHandler {
  constructor(private readonly settleOrder: SettleOrderService) {}

  @EventPattern(PaymentDeadline)
  async onPaymentDeadline(@Payload() deadline: PaymentDeadline): Promise<void> {
    await this.settleOrder.paymentDeadline(deadline.orderId);
  }
}
