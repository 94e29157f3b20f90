import { z } from 'zod';
import { defineMessage, type PayloadOf } from '../message-contract';
import { freeText } from '../shared/free-text.schema';

export const OrderCancelled = defineMessage(
  'order.cancelled',
  z.object({ orderId: z.uuid(), reason: freeText(1, 200) }),
);
export type OrderCancelled = PayloadOf<typeof OrderCancelled>;
