import { ApiErrorResponses } from '@app/platform';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { GetOrderService } from './get-order.service';
import { type OrderWithPayment, OrderWithPaymentDto } from './order-with-payment.view';

class OrderIdParams extends createZodDto(z.object({ id: z.uuid() })) {}

@ApiTags('orders')
@Controller('orders')
export class GetOrderController {
  constructor(private readonly getOrder: GetOrderService) {}

  @Get(':id')
  @ApiOperation({ summary: 'An order, with its payment as the payment service reports it' })
  @ApiOkResponse({ description: 'The order', type: OrderWithPaymentDto.Output })
  @ApiErrorResponses([400, 404], { field: 'id', message: 'Invalid UUID' })
  get(@Param() params: OrderIdParams): Promise<OrderWithPayment> {
    return this.getOrder.byId(params.id);
  }
}
