import { z } from 'zod';
import { defineMessage, type PayloadOf } from '../message-contract';
import { text } from '../shared/text.schema';

export const OrderCancelled = defineMessage(
  'order.cancelled',
  z.object({ orderId: z.uuid(), reason: text(1, 200) }),
);
export type OrderCancelled = PayloadOf<typeof OrderCancelled>;
