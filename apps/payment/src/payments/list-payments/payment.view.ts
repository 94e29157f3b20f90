import { currencyCode, minorUnits } from '@app/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { PAYMENT_STATUSES, type PaymentRow } from '../../db/payment.tables';

/** A payment as GET /payments shows it (DESIGN §2). */
export const paymentView = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  status: z.enum(PAYMENT_STATUSES),
  amount: minorUnits,
  currency: currencyCode,
  reason: z.string().optional().meta({ description: 'Why a FAILED payment was declined' }),
  createdAt: z.iso.datetime(),
  refundedAt: z.iso.datetime().optional(),
});

export type PaymentView = z.output<typeof paymentView>;
export class PaymentDto extends createZodDto(paymentView) {}

export function toPaymentView(row: PaymentRow): PaymentView {
  return {
    id: row.id,
    orderId: row.orderId,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    ...(row.reason ? { reason: row.reason } : {}),
    createdAt: row.createdAt.toISOString(),
    ...(row.refundedAt ? { refundedAt: row.refundedAt.toISOString() } : {}),
  };
}
