import { z } from 'zod';
import { defineRpc, type ReplyOf, type RequestOf } from '../message-contract';

export const GetPaymentByOrder = defineRpc(
  'payment.get-by-order',
  z.object({ orderId: z.uuid() }),
  z.object({
    status: z.enum(['SUCCEEDED', 'FAILED', 'REFUNDED', 'PENDING']),
    paymentId: z.uuid().optional(),
    reason: z.string().optional(),
  }),
);
export type GetPaymentByOrderRequest = RequestOf<typeof GetPaymentByOrder>;
export type GetPaymentByOrderReply = ReplyOf<typeof GetPaymentByOrder>;
