import type { OrderRow } from '../db/order.tables';
import { orderView, toOrderView } from './order.view';

const row: OrderRow = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  customerId: 'customer-1',
  status: 'CANCELLED',
  currency: 'EUR',
  total: 2500,
  items: [{ sku: 'BOOK', quantity: 2, unitPrice: 1250 }],
  cancelReason: 'amount_limit_exceeded',
  paymentDeadlineId: '9b2f6c1e-4d5a-4f7b-8c3d-2e1f0a9b8c7d',
  createdAt: new Date('2026-11-05T10:00:00.000Z'),
  updatedAt: new Date('2026-11-05T10:00:01.250Z'),
};

describe('toOrderView', () => {
  it('shows the order with ISO-8601 timestamps', () => {
    expect(toOrderView(row)).toStrictEqual({
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      customerId: 'customer-1',
      status: 'CANCELLED',
      currency: 'EUR',
      total: 2500,
      items: [{ sku: 'BOOK', quantity: 2, unitPrice: 1250 }],
      createdAt: '2026-11-05T10:00:00.000Z',
      updatedAt: '2026-11-05T10:00:01.250Z',
      cancelReason: 'amount_limit_exceeded',
    });
  });

  it('keeps cancelReason null in the JSON of an order that is not cancelled', () => {
    const pending = toOrderView({ ...row, status: 'PENDING', cancelReason: null });

    expect(JSON.parse(JSON.stringify(pending))).toHaveProperty('cancelReason', null);
  });

  it('matches the schema the API documents', () => {
    expect(orderView.safeParse(toOrderView(row)).success).toBe(true);
  });
});
