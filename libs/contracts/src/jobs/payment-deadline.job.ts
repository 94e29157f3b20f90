import { z } from 'zod';
import { defineMessage, type PayloadOf } from '../message-contract';

/**
 * The order's payment deadline: a scheduled message order sends itself when the order is
 * placed, delivered ORDER_PAYMENT_TIMEOUT_MS later to its `order.payment-deadlines` queue.
 */
export const PaymentDeadline = defineMessage(
  'order.payment-deadline',
  z.object({ orderId: z.uuid() }),
);
export type PaymentDeadline = PayloadOf<typeof PaymentDeadline>;
