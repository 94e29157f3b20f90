import type { PaymentRow, PaymentStatus } from '../../db/payment.tables';

export interface PaymentView {
  id: string;
  orderId: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  reason?: string;
  createdAt: string;
}

export function toPaymentView(row: PaymentRow): PaymentView {
  return {
    id: row.id,
    orderId: row.orderId,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    ...(row.reason ? { reason: row.reason } : {}),
    createdAt: row.createdAt.toISOString(),
  };
}
