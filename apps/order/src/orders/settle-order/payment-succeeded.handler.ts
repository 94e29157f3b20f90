import { PaymentSucceeded } from '@app/contracts';
import { HandleMessage } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { orderTopology } from '../../order.topology';
import { SettleOrderService } from './settle-order.service';

@Injectable()
export class PaymentSucceededHandler {
  constructor(private readonly settleOrder: SettleOrderService) {}

  @HandleMessage(orderTopology.queues.paymentResults, PaymentSucceeded)
  async handle(event: PaymentSucceeded): Promise<void> {
    await this.settleOrder.markPaid(event.orderId);
  }
}
