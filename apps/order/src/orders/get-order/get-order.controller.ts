import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { GetOrderService, type OrderWithPayment } from './get-order.service';

@Controller('orders')
export class GetOrderController {
  constructor(private readonly getOrder: GetOrderService) {}

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<OrderWithPayment> {
    return this.getOrder.byId(id);
  }
}
