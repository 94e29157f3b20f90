import { z } from 'zod';
import { defineMessage, type PayloadOf } from '../message-contract';
import { currencyCode, minorUnits, orderItem } from '../shared/money.schema';
import { orderTotal } from '../shared/order-total';
import { freeText } from '../shared/free-text.schema';

/** Who placed an order: as the order API takes it and as order.created carries it. */
export const customerId = freeText(1, 64);

export const OrderCreated = defineMessage(
  'order.created',
  z
    .object({
      orderId: z.uuid(),
      customerId,
      currency: currencyCode,
      total: minorUnits,
      items: z.array(orderItem).min(1).max(100),
      createdAt: z.iso.datetime({ offset: true }),
    })
    // A consumer must not act on a total the items do not add up to (a forged or corrupted event).
    .refine((order) => order.total === orderTotal(order.items), {
      path: ['total'],
      message: 'does not equal the sum of quantity × unitPrice of the items',
    }),
);
export type OrderCreated = PayloadOf<typeof OrderCreated>;
