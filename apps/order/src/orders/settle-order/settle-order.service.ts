import {
  OrderCancelled,
  OrderPaid,
  PaymentRefundRequested,
  type PaymentSucceeded,
} from '@app/contracts';
import { OutboxWriter } from '@app/outbox';
import { afterRollback, type DatabaseTransactionHost, errorMessage } from '@app/platform';
import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OrderRow } from '../../db/order.tables';
import { OrderRepository } from '../order.repository';
import { OrderNotFoundError } from '../order-not-found.error';
import {
  MISMATCH_REFUND_REASON,
  nextStep,
  type OrderProcessEvent,
  REFUND_REASON,
  settlementOf,
} from '../order-process';
import { assertPaysFor } from './payment-mismatch.error';

/**
 * Moves an order through its process (order-process.ts) on a payment result or its payment
 * deadline, in the consuming handler's transaction: the new state, the event it publishes and the
 * cancelled deadline commit together. A result for an order that does not exist can never succeed.
 */
@Injectable()
export class SettleOrderService {
  private readonly logger = new Logger(SettleOrderService.name);

  constructor(
    private readonly orders: OrderRepository,
    private readonly outbox: OutboxWriter,
    @Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost,
  ) {}

  /**
   * PENDING → PAID, when the payment is for the order's total; for an order already cancelled,
   * the payment is to be given back, whatever its amount. A mismatch throws after the update,
   * which rolls back with the transaction: the common case costs no read of its own.
   */
  async paymentSucceeded(payment: PaymentSucceeded): Promise<void> {
    const paid = { kind: 'payment-succeeded' } as const;
    const step = await this.apply(payment.orderId, paid, (order) =>
      this.assertPays(payment, order),
    );
    if (step !== 'refund') return;
    await this.outbox.add(PaymentRefundRequested, { ...payment, reason: REFUND_REASON });
    this.logger.log(
      `Order ${payment.orderId} was already CANCELLED: asked for a refund of payment ${payment.paymentId}`,
    );
  }

  /**
   * A payment that does not pay its order fails the handler: the update to PAID rolls back and the
   * message is dead-lettered, for its sender's bug (or a forgery) to be seen. The money it took
   * is asked back once that rollback is done, in a transaction of its own: at least once, and
   * payment refunds a payment once however often it is asked.
   */
  private assertPays(payment: PaymentSucceeded, order: OrderRow): void {
    try {
      assertPaysFor(payment, order);
    } catch (mismatch) {
      const refund = () => this.refundMismatch(payment, mismatch);
      if (!afterRollback(this.txHost.tx, refund)) {
        throw new Error('Settlements must run in a transaction', { cause: mismatch });
      }
      throw mismatch;
    }
  }

  private async refundMismatch(payment: PaymentSucceeded, mismatch: unknown): Promise<void> {
    const request = { ...payment, reason: MISMATCH_REFUND_REASON };
    try {
      await this.txHost.withTransaction(Propagation.RequiresNew, () =>
        this.outbox.add(PaymentRefundRequested, request),
      );
      this.logger.error(`${errorMessage(mismatch)}: asked payment to refund it`);
    } catch (error) {
      this.logger.error(
        `${errorMessage(mismatch)}; its refund could not be asked for (${errorMessage(error)}): replay the dead-lettered payment.succeeded to try again`,
      );
    }
  }

  /** PENDING → CANCELLED with the payment's reason. */
  async paymentFailed(orderId: string, reason: string): Promise<void> {
    await this.apply(orderId, { kind: 'payment-failed', reason });
  }

  /** PENDING → CANCELLED (`payment_timeout`): no payment result came in time. */
  async paymentDeadline(orderId: string): Promise<void> {
    await this.apply(orderId, { kind: 'payment-deadline' });
  }

  /**
   * Settles the order if the event does that, announcing it; otherwise says what is left to do.
   * Nearly every event finds its order PENDING, so the conditional move out of PENDING is tried
   * first (the hand-written flow's one statement) and the order is read only when it was not
   * PENDING: settled already, by an earlier result, the deadline or a concurrent handler, or
   * missing. An order never returns to PENDING, so what is read then is final.
   */
  private async apply(
    orderId: string,
    event: OrderProcessEvent,
    /** Throws when the event cannot settle this order after all. */
    check?: (order: OrderRow) => void,
  ): Promise<'settled' | 'refund' | 'nothing'> {
    const settlement = settlementOf(event);
    const reason = settlement.status === 'CANCELLED' ? settlement.reason : undefined;
    const settled = await this.orders.settle(orderId, settlement.status, reason);
    if (settled) {
      check?.(settled);
      await this.announce(settled);
      await this.dropDeadline(settled, event);
      return 'settled';
    }
    const order = await this.find(orderId);
    const step = nextStep(order.status, event);
    if (step.kind === 'refund') return 'refund';
    this.logger.warn(`Order ${orderId} is already ${order.status}; ignoring ${event.kind}`);
    return 'nothing';
  }

  /**
   * A payment result settled the order before its deadline: the deadline has nothing left to do,
   * so its scheduled message is cancelled with the settlement rather than sent to be ignored.
   */
  private async dropDeadline(order: OrderRow, event: OrderProcessEvent): Promise<void> {
    if (event.kind === 'payment-deadline' || !order.paymentDeadlineId) return;
    await this.outbox.discard(order.paymentDeadlineId);
  }

  private async find(orderId: string): Promise<OrderRow> {
    const order = await this.orders.findById(orderId);
    if (!order) throw new OrderNotFoundError(orderId);
    return order;
  }

  private async announce(order: OrderRow): Promise<void> {
    if (order.status === 'PAID') {
      await this.outbox.add(OrderPaid, { orderId: order.id });
    } else {
      const reason = order.cancelReason ?? 'cancelled';
      await this.outbox.add(OrderCancelled, { orderId: order.id, reason });
    }
    const why = order.cancelReason ? `: ${order.cancelReason}` : '';
    this.logger.log(`Order ${order.id} is ${order.status}${why}`);
  }
}
