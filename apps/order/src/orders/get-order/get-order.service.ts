import { Injectable, NotFoundException } from '@nestjs/common';
import { OrderRepository } from '../order.repository';
import { toOrderView, type OrderView } from '../order.view';
import { PaymentStatusLookup, type PaymentView } from './payment-status.lookup';

export type OrderWithPayment = OrderView & { payment: PaymentView };

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
