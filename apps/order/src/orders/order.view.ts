import type { OrderItem } from '@app/contracts';
import type { OrderRow, OrderStatus } from '../db/order.tables';

/** The order as the HTTP API shows it. */
export interface OrderView {
  id: string;
  customerId: string;
  status: OrderStatus;
  currency: string;
  total: number;
  items: OrderItem[];
  createdAt: string;
  updatedAt: string;
}

export function toOrderView(row: OrderRow): OrderView {
  return {
    id: row.id,
    customerId: row.customerId,
    status: row.status,
    currency: row.currency,
    total: row.total,
    items: row.items,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
