import { PaymentFailed } from '@app/contracts';
import { HandleMessage } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { orderTopology } from '../../order.topology';
import { SettleOrderService } from './settle-order.service';

@Injectable()
export class PaymentFailedHandler {
  constructor(private readonly settleOrder: SettleOrderService) {}

  @HandleMessage(orderTopology.queues.paymentResults, PaymentFailed)
  async handle(event: PaymentFailed): Promise<void> {
    await this.settleOrder.cancel(event.orderId, event.reason);
  }
}
