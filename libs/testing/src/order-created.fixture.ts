import type { OrderCreated } from '@app/contracts';
import { randomUUID } from 'node:crypto';

/** A valid order.created of one item at `total`, as the order service would publish it. */
export function anOrderCreated(options: { orderId?: string; total?: number } = {}): OrderCreated {
  const total = options.total ?? 100;
  return {
    orderId: options.orderId ?? randomUUID(),
    customerId: 'customer-1',
    currency: 'EUR',
    total,
    items: [{ sku: 'book', quantity: 1, unitPrice: total }],
    createdAt: new Date().toISOString(),
  };
}
