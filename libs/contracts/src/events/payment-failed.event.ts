import { z } from 'zod';
import { defineMessage, type PayloadOf } from '../message-contract';
import { freeText } from '../shared/free-text.schema';
import { currencyCode, minorUnits } from '../shared/money.schema';

export const PaymentFailed = defineMessage(
  'payment.failed',
  z.object({
    paymentId: z.uuid(),
    orderId: z.uuid(),
    amount: minorUnits,
    currency: currencyCode,
    reason: freeText(1, 200),
  }),
);
export type PaymentFailed = PayloadOf<typeof PaymentFailed>;
