import { BadRequestException, Body, Controller, Headers, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { OrderView } from '../order.view';
import { CreateOrderDto, idempotencyKey } from './create-order.request';
import { CreateOrderService } from './create-order.service';

@Controller('orders')
export class CreateOrderController {
  constructor(private readonly createOrder: CreateOrderService) {}

  /** 202 Accepted: the order is recorded and its payment will follow asynchronously. */
  @Post()
  async create(
    @Body() body: CreateOrderDto,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderView> {
    const key = idempotencyKey.safeParse(rawKey);
    if (!key.success) {
      throw new BadRequestException({
        message: 'Validation failed',
        errors: [{ field: 'Idempotency-Key', message: 'must be 1 to 128 characters' }],
      });
    }
    const result = await this.createOrder.create(body, key.data);
    response.status(result.status).location(`/orders/${result.body.id}`);
    return result.body;
  }
}
