import {
  GetPaymentByOrder,
  type GetPaymentByOrderReply,
  type GetPaymentByOrderRequest,
} from '@app/contracts';
import { MessageController } from '@app/messaging';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { paymentTopology } from '../../payment.topology';
import { PaymentStatusService } from './payment-status.service';

@MessageController(paymentTopology.queues.paymentByOrder)
export class GetPaymentByOrderResponder {
  constructor(private readonly paymentStatus: PaymentStatusService) {}

  @MessagePattern(GetPaymentByOrder)
  answer(@Payload() request: GetPaymentByOrderRequest): Promise<GetPaymentByOrderReply> {
    return this.paymentStatus.forOrder(request.orderId);
  }
}
