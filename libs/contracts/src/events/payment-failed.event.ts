import { z } from 'zod';
import { defineMessage, type PayloadOf } from '../message-contract';
import { text } from '../shared/text.schema';
import { currencyCode, minorUnits } from '../shared/money.schema';

export const PaymentFailed = defineMessage(
  'payment.failed',
  z.object({
    paymentId: z.uuid(),
    orderId: z.uuid(),
    amount: minorUnits,
    currency: currencyCode,
    reason: text(1, 200),
  }),
);
export type PaymentFailed = PayloadOf<typeof PaymentFailed>;
