import { z } from 'zod';
import { defineMessage, type PayloadOf } from '../message-contract';
import { currencyCode, minorUnits, orderItem } from '../shared/money.schema';

export const OrderCreated = defineMessage(
  'order.created',
  z.object({
    orderId: z.uuid(),
    customerId: z.string().min(1).max(64),
    currency: currencyCode,
    total: minorUnits,
    items: z.array(orderItem).min(1).max(100),
    createdAt: z.iso.datetime({ offset: true }),
  }),
);
export type OrderCreated = PayloadOf<typeof OrderCreated>;
