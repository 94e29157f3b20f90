import { ApiErrorResponses } from '@app/platform';
import { BadRequestException, Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OrderDto, type OrderView } from '../order.view';
import { CreateOrderDto, idempotencyKey } from './create-order.request';
import { CreateOrderService } from './create-order.service';

@ApiTags('orders')
@Controller('orders')
export class CreateOrderController {
  constructor(private readonly createOrder: CreateOrderService) {}

  /** 202 Accepted: the order is recorded and its payment will follow asynchronously. */
  @Post()
  @ApiOperation({ summary: 'Place an order; its payment follows asynchronously' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Repeating a request with the same key and body returns the same answer',
    schema: {
      type: 'string',
      minLength: idempotencyKey.unwrap().minLength ?? undefined,
      maxLength: idempotencyKey.unwrap().maxLength ?? undefined,
    },
  })
  @ApiAcceptedResponse({
    description: 'The order, PENDING until its payment result arrives',
    type: OrderDto.Output,
    headers: {
      Location: {
        description: 'Where to follow the order: /orders/{id}',
        required: true,
        schema: { type: 'string' },
      },
    },
  })
  @ApiErrorResponses([400, 413, 415, 422], {
    field: 'items.0.quantity',
    message: 'Too big: expected number to be <=1000',
  })
  async create(
    @Body() body: CreateOrderDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderView> {
    const result = await this.createOrder.create(body, readIdempotencyKey(request));
    response.status(result.status).location(`/orders/${result.body.id}`);
    return result.body;
  }
}

const keyRefused = (message: string) =>
  new BadRequestException({
    message: 'Validation failed',
    errors: [{ field: 'Idempotency-Key', message }],
  });

/**
 * The Idempotency-Key, sent at most once: Node joins repeated copies of a header as "a, b",
 * a third key neither copy meant, so a repeat is refused rather than read.
 */
function readIdempotencyKey(request: Request): string | undefined {
  const copies = request.headersDistinct['idempotency-key'] ?? [];
  if (copies.length > 1) throw keyRefused(`must be sent once, not ${copies.length} times`);
  const key = idempotencyKey.safeParse(copies[0]);
  if (!key.success) throw keyRefused('must be 1 to 128 characters');
  return key.data;
}
