import { z } from 'zod';
import { defineMessage, type PayloadOf } from '../message-contract';

export const OrderPaid = defineMessage('order.paid', z.object({ orderId: z.uuid() }));
export type OrderPaid = PayloadOf<typeof OrderPaid>;
