import { Injectable, NotFoundException } from '@nestjs/common';
import { OrderRepository } from '../order.repository';
import { toOrderView } from '../order.view';
import type { OrderWithPayment } from './order-with-payment.view';
import { PaymentStatusLookup } from './payment-status.lookup';

@Injectable()
export class GetOrderService {
  constructor(
    private readonly orders: OrderRepository,
    private readonly payments: PaymentStatusLookup,
  ) {}

  async byId(id: string): Promise<OrderWithPayment> {
    const order = await this.orders.findById(id);
    if (!order) throw new NotFoundException(`Order ${id} not found`);
    return { ...toOrderView(order), payment: await this.payments.forOrder(id) };
  }
}
