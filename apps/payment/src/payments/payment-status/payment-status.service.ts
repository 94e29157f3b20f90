import type { GetPaymentByOrderReply } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { PaymentRepository } from '../payment.repository';

@Injectable()
export class PaymentStatusService {
  constructor(private readonly payments: PaymentRepository) {}

  /** PENDING until the order's payment has been attempted. */
  async forOrder(orderId: string): Promise<GetPaymentByOrderReply> {
    const payment = await this.payments.findByOrder(orderId);
    if (!payment) return { status: 'PENDING' };
    return {
      status: payment.status,
      paymentId: payment.id,
      ...(payment.reason ? { reason: payment.reason } : {}),
    };
  }
}
