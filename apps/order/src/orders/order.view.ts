import { currencyCode, minorUnits, orderItem } from '@app/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { ORDER_STATUSES, type OrderRow } from '../db/order.tables';

/** The order as the HTTP API shows it (DESIGN §2). */
export const orderView = z.object({
  id: z.uuid(),
  customerId: z.string(),
  status: z.enum(ORDER_STATUSES),
  currency: currencyCode,
  total: minorUnits.meta({ description: 'Sum of quantity × unitPrice, in minor units' }),
  items: z.array(orderItem),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  // min(1) is true of every reason, and keeps nestjs-zod from documenting a bare nullable
  // string as an array (its issue #473).
  cancelReason: z.string().min(1).nullable().meta({
    description:
      "Null unless CANCELLED: the payment's decline reason, or `payment_timeout` when no payment result came in time",
  }),
});

export type OrderView = z.output<typeof orderView>;
export class OrderDto extends createZodDto(orderView) {}

export function toOrderView(row: OrderRow): OrderView {
  return {
    id: row.id,
    customerId: row.customerId,
    status: row.status,
    currency: row.currency,
    total: row.total,
    items: row.items,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    cancelReason: row.cancelReason,
  };
}
