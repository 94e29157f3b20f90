import { PaymentRefunded, type PaymentRefundRequested } from '@app/contracts';
import { OutboxWriter } from '@app/outbox';
import { Injectable, Logger } from '@nestjs/common';
import { PaymentProvider } from '../../provider/payment-provider';
import { PaymentNotFoundError } from '../payment-not-found.error';
import { PaymentRepository } from '../payment.repository';
import { PaymentNotRefundableError } from './payment-not-refundable.error';

/**
 * Gives a payment back, once, in the consuming handler's transaction: the provider refunds it
 * (idempotent per payment), the payment becomes REFUNDED and `payment.refunded` is written, all
 * or nothing. A second request for the same payment, from a redelivery or a replay, finds it
 * REFUNDED and changes nothing; two at the same moment both reach the provider, which refunds
 * once, and only one of them marks the payment. A request for a payment that FAILED fails for
 * good, to its dead-letter queue: order never asks for one.
 */
@Injectable()
export class RefundPaymentService {
  private readonly logger = new Logger(RefundPaymentService.name);

  constructor(
    private readonly payments: PaymentRepository,
    private readonly provider: PaymentProvider,
    private readonly outbox: OutboxWriter,
  ) {}

  async refund(request: PaymentRefundRequested): Promise<void> {
    const payment = await this.payments.findById(request.paymentId);
    if (!payment) throw new PaymentNotFoundError(request.paymentId);
    // An order gives back only its own payments.
    if (payment.orderId !== request.orderId) {
      throw new PaymentNotFoundError(request.paymentId, request.orderId);
    }
    if (payment.status === 'FAILED') throw new PaymentNotRefundableError(payment.id);
    if (payment.status === 'REFUNDED') {
      this.logger.warn(`Payment ${payment.id} is REFUNDED; nothing to refund`);
      return;
    }
    const { reference } = await this.provider.refund({
      paymentId: payment.id,
      chargeReference: payment.providerReference ?? '',
      amount: payment.amount,
      currency: payment.currency,
    });
    const refunded = await this.payments.markRefunded(payment.id, reference);
    if (!refunded) {
      this.logger.warn(`Payment ${payment.id} was refunded meanwhile; nothing more to do`);
      return;
    }
    await this.outbox.add(PaymentRefunded, {
      paymentId: refunded.id,
      orderId: refunded.orderId,
      amount: refunded.amount,
      currency: refunded.currency,
    });
    this.logger.log(
      `Payment ${refunded.id} for order ${refunded.orderId} REFUNDED (${request.reason})`,
    );
  }
}
