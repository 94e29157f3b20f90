import { z } from 'zod';
import { defineMessage, type PayloadOf } from '../message-contract';
import { currencyCode, minorUnits } from '../shared/money.schema';

export const PaymentRefunded = defineMessage(
  'payment.refunded',
  z.object({ paymentId: z.uuid(), orderId: z.uuid(), amount: minorUnits, currency: currencyCode }),
);
export type PaymentRefunded = PayloadOf<typeof PaymentRefunded>;
