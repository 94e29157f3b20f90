import { OrderCancelled, OrderPaid } from '@app/contracts';
import { OutboxWriter } from '@app/outbox';
import { Injectable, Logger } from '@nestjs/common';
import { OrderRepository } from '../order.repository';
import { OrderNotFoundError } from '../order-not-found.error';

/**
 * Applies a payment result to its order, in the consuming handler's transaction: PENDING moves
 * to PAID or CANCELLED and the matching event is written to the outbox. A result for an order
 * that is already final changes nothing; one for an order that does not exist can never succeed.
 */
@Injectable()
export class SettleOrderService {
  private readonly logger = new Logger(SettleOrderService.name);

  constructor(
    private readonly orders: OrderRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async markPaid(orderId: string): Promise<void> {
    if (!(await this.settle(orderId, 'PAID'))) return;
    await this.outbox.add(OrderPaid, { orderId });
    this.logger.log(`Order ${orderId} is PAID`);
  }

  async cancel(orderId: string, reason: string): Promise<void> {
    if (!(await this.settle(orderId, 'CANCELLED', reason))) return;
    await this.outbox.add(OrderCancelled, { orderId, reason });
    this.logger.log(`Order ${orderId} is CANCELLED: ${reason}`);
  }

  private async settle(orderId: string, status: 'PAID' | 'CANCELLED', reason?: string) {
    const settled = await this.orders.settle(orderId, status, reason);
    if (settled) return true;
    const existing = await this.orders.findById(orderId);
    if (!existing) throw new OrderNotFoundError(orderId);
    this.logger.warn(
      `Order ${orderId} is already ${existing.status}; ignoring the ${status} result`,
    );
    return false;
  }
}
