import { z } from 'zod';
import { defineMessage, type PayloadOf } from '../message-contract';
import { freeText } from '../shared/free-text.schema';
import { currencyCode, minorUnits } from '../shared/money.schema';

/** Order asks payment to give back a payment that came for an order it had already cancelled. */
export const PaymentRefundRequested = defineMessage(
  'payment.refund-requested',
  z.object({
    paymentId: z.uuid(),
    orderId: z.uuid(),
    amount: minorUnits,
    currency: currencyCode,
    reason: freeText(1, 200),
  }),
);
export type PaymentRefundRequested = PayloadOf<typeof PaymentRefundRequested>;
