import { type OrderCreated, PaymentFailed, PaymentSucceeded } from '@app/contracts';
import { OutboxWriter } from '@app/outbox';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { PaymentRow } from '../../db/payment.tables';
import { PaymentProvider } from '../../provider/payment-provider';
import { PaymentRepository } from '../payment.repository';

/**
 * Charges an order once, in the consuming handler's transaction: the payment row and its
 * `payment.succeeded` or `payment.failed` event commit together. A provider failure throws, so
 * nothing is written and the message is retried later. The order id is the charge's idempotency
 * key, so an order that already has a payment (another copy of its event) gets the first
 * charge's answer from the provider, and its unique payment row keeps the first: nothing is
 * written or announced again. No read before the insert: one statement less per payment.
 */
@Injectable()
export class ProcessPaymentService {
  private readonly logger = new Logger(ProcessPaymentService.name);

  constructor(
    private readonly payments: PaymentRepository,
    private readonly provider: PaymentProvider,
    private readonly outbox: OutboxWriter,
  ) {}

  async process(order: OrderCreated): Promise<void> {
    const charge = { orderId: order.orderId, amount: order.total, currency: order.currency };
    const result = await this.provider.charge(charge);
    const payment = await this.payments.insertUnlessPaid({
      id: randomUUID(),
      ...charge,
      status: result.outcome === 'approved' ? 'SUCCEEDED' : 'FAILED',
      reason: result.outcome === 'declined' ? result.reason : null,
      providerReference: result.outcome === 'approved' ? result.reference : null,
    });
    if (!payment) {
      this.logger.warn(`Order ${order.orderId} already has a payment; not recording another`);
      return;
    }
    await this.announce(payment);
  }

  private async announce(payment: PaymentRow): Promise<void> {
    const event = {
      paymentId: payment.id,
      orderId: payment.orderId,
      amount: payment.amount,
      currency: payment.currency,
    };
    if (payment.status === 'SUCCEEDED') {
      await this.outbox.add(PaymentSucceeded, event);
      this.logger.log(`Payment ${payment.id} for order ${payment.orderId} SUCCEEDED`);
    } else {
      const reason = payment.reason || 'declined';
      await this.outbox.add(PaymentFailed, { ...event, reason });
      this.logger.log(`Payment ${payment.id} for order ${payment.orderId} FAILED: ${reason}`);
    }
  }
}
