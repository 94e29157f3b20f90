import { PaymentRefundRequested } from '@app/contracts';
import { MessageController } from '@app/messaging';
import { EventPattern, Payload } from '@nestjs/microservices';
import { paymentTopology } from '../../payment.topology';
import { RefundPaymentService } from './refund-payment.service';

/** Order's requests to give a payment back (it came for an order already cancelled). */
@MessageController(paymentTopology.queues.refundRequests)
export class RefundRequestedHandler {
  constructor(private readonly refundPayment: RefundPaymentService) {}

  @EventPattern(PaymentRefundRequested)
  async onRefundRequested(@Payload() request: PaymentRefundRequested): Promise<void> {
    await this.refundPayment.refund(request);
  }
}
