import {
  GetPaymentByOrder,
  type GetPaymentByOrderReply,
  type GetPaymentByOrderRequest,
} from '@app/contracts';
import { AnswerRpc } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { paymentTopology } from '../../payment.topology';
import { PaymentStatusService } from './payment-status.service';

@Injectable()
export class GetPaymentByOrderResponder {
  constructor(private readonly paymentStatus: PaymentStatusService) {}

  @AnswerRpc(paymentTopology.queues.paymentByOrder, GetPaymentByOrder)
  answer(request: GetPaymentByOrderRequest): Promise<GetPaymentByOrderReply> {
    return this.paymentStatus.forOrder(request.orderId);
  }
}
