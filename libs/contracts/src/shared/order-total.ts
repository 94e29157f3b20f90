import type { OrderItem } from './money.schema';

/**
 * The total of an order: the sum of quantity × unitPrice, in minor units. The order service
 * computes it and every consumer of `order.created` recomputes it, so a forged or corrupted
 * total is refused instead of charged.
 */
export function orderTotal(items: readonly OrderItem[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
}
