import { NotFoundException } from '@nestjs/common';
import type { OrderRow } from '../../db/order.tables';
import type { OrderRepository } from '../order.repository';
import { GetOrderService } from './get-order.service';
import type { PaymentStatusLookup } from './payment-status.lookup';

const ORDER_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const PAYMENT_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

const row: OrderRow = {
  id: ORDER_ID,
  customerId: 'customer-1',
  status: 'PAID',
  currency: 'EUR',
  total: 2500,
  items: [{ sku: 'BOOK', quantity: 2, unitPrice: 1250 }],
  cancelReason: null,
  paymentDeadlineId: null,
  createdAt: new Date('2026-11-05T10:00:00.000Z'),
  updatedAt: new Date('2026-11-05T10:00:01.500Z'),
};

describe('GetOrderService', () => {
  let orders: jest.Mocked<Pick<OrderRepository, 'findById'>>;
  let payments: jest.Mocked<Pick<PaymentStatusLookup, 'forOrder'>>;
  let service: GetOrderService;

  beforeEach(() => {
    orders = { findById: jest.fn().mockResolvedValue(row) };
    payments = {
      forOrder: jest.fn().mockResolvedValue({ status: 'SUCCEEDED', paymentId: PAYMENT_ID }),
    };
    service = new GetOrderService(
      orders as unknown as OrderRepository,
      payments as unknown as PaymentStatusLookup,
    );
  });

  it('returns the order view with the payment status from the payment service', async () => {
    await expect(service.byId(ORDER_ID)).resolves.toEqual({
      id: ORDER_ID,
      customerId: 'customer-1',
      status: 'PAID',
      currency: 'EUR',
      total: 2500,
      items: [{ sku: 'BOOK', quantity: 2, unitPrice: 1250 }],
      createdAt: '2026-11-05T10:00:00.000Z',
      updatedAt: '2026-11-05T10:00:01.500Z',
      cancelReason: null,
      payment: { status: 'SUCCEEDED', paymentId: PAYMENT_ID },
    });
    expect(orders.findById).toHaveBeenCalledWith(ORDER_ID);
    expect(payments.forOrder).toHaveBeenCalledWith(ORDER_ID);
  });

  it('still returns the order when the payment status is UNKNOWN', async () => {
    payments.forOrder.mockResolvedValue({ status: 'UNKNOWN' });

    const order = await service.byId(ORDER_ID);

    expect(order.id).toBe(ORDER_ID);
    expect(order.payment).toEqual({ status: 'UNKNOWN' });
  });

  it('answers 404 for an unknown id without asking the payment service', async () => {
    orders.findById.mockResolvedValue(undefined);

    await expect(service.byId(ORDER_ID)).rejects.toBeInstanceOf(NotFoundException);
    expect(payments.forOrder).not.toHaveBeenCalled();
  });
});
