import { z } from 'zod';
import { defineMessage, type PayloadOf } from '../message-contract';

export const OrderCancelled = defineMessage(
  'order.cancelled',
  z.object({ orderId: z.uuid(), reason: z.string().min(1).max(200) }),
);
export type OrderCancelled = PayloadOf<typeof OrderCancelled>;
