import { currencyCode, customerId, orderItem, orderTotal } from '@app/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** POST /orders body (DESIGN §2). Strict: an unknown field is a client bug worth a 400. */
export const createOrderRequest = z
  .strictObject({
    customerId,
    currency: currencyCode,
    items: z.array(z.strictObject(orderItem.shape)).min(1).max(100),
  })
  .refine((order) => Number.isSafeInteger(orderTotal(order.items)), {
    path: ['items'],
    message: 'the order total is too large',
  });

export type CreateOrderRequest = z.output<typeof createOrderRequest>;
export class CreateOrderDto extends createZodDto(createOrderRequest) {}

export const idempotencyKey = z.string().min(1).max(128).optional();
