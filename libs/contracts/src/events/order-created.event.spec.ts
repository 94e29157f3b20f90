import { OrderCreated } from './order-created.event';

const event = {
  orderId: '0b6c7a8e-3f1d-4c2b-9a5e-6d7f8a9b0c1d',
  customerId: 'c-1',
  currency: 'EUR',
  total: 2 * 450 + 300,
  items: [
    { sku: 'a', quantity: 2, unitPrice: 450 },
    { sku: 'b', quantity: 1, unitPrice: 300 },
  ],
  createdAt: '2025-03-04T05:06:07.000Z',
};

describe('OrderCreated', () => {
  it('accepts an event whose total is the sum of its items', () => {
    expect(OrderCreated.schema.safeParse(event).success).toBe(true);
  });

  it('refuses an event whose total disagrees with its items, naming the total', () => {
    const forged = { ...event, total: 1, items: [{ sku: 'a', quantity: 1000, unitPrice: 9_999 }] };
    const result = OrderCreated.schema.safeParse(forged);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['total'],
        message: 'does not equal the sum of quantity × unitPrice of the items',
      }),
    ]);
  });

  it('refuses free text that cannot be stored as it came, naming the field', () => {
    const result = OrderCreated.schema.safeParse({
      ...event,
      customerId: 'c\u0000',
      items: [{ sku: 'a\ud800', quantity: 1, unitPrice: event.total }],
    });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([
      ['customerId'],
      ['items', 0, 'sku'],
    ]);
  });
});
