// Shared by the settle-order.service.*.spec.ts files.
import { OutboxWriter } from '@app/outbox';
import { numberedTransactionsModule } from '@app/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { OrderRow, OrderStatus } from '../../db/order.tables';
import { OrderRepository } from '../order.repository';
import { SettleOrderService } from './settle-order.service';

export const ORDER_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
export const payment = {
  paymentId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  orderId: ORDER_ID,
  amount: 2500,
  currency: 'EUR',
};

export const DEADLINE_ID = '3d6f0a2b-8c4e-4b1a-9f7d-5e2c1b0a9d8e';

export const orderRow = (status: OrderStatus, cancelReason: string | null = null): OrderRow => ({
  id: ORDER_ID,
  customerId: 'customer-1',
  status,
  currency: 'EUR',
  total: 2500,
  items: [{ sku: 'BOOK', quantity: 2, unitPrice: 1250 }],
  cancelReason,
  paymentDeadlineId: DEADLINE_ID,
  createdAt: new Date('2026-11-05T10:00:00.000Z'),
  updatedAt: new Date('2026-11-05T10:00:01.000Z'),
});

export type SettleOrderFixture = Awaited<ReturnType<typeof setup>>;

export async function setup() {
  // By default the order is not PENDING any more: the conditional settle updates nothing.
  const orders: jest.Mocked<Pick<OrderRepository, 'settle' | 'findById'>> = {
    settle: jest.fn().mockResolvedValue(undefined),
    findById: jest.fn(),
  };
  const outbox: jest.Mocked<Pick<OutboxWriter, 'add' | 'discard'>> = {
    add: jest.fn().mockResolvedValue('message-id'),
    discard: jest.fn(),
  };
  outbox.discard.mockResolvedValue(undefined);
  const moduleRef = await Test.createTestingModule({
    imports: [numberedTransactionsModule()],
    providers: [
      SettleOrderService,
      { provide: OrderRepository, useValue: orders },
      { provide: OutboxWriter, useValue: outbox },
    ],
  }).compile();
  const service = moduleRef.get(SettleOrderService);
  const txHost: TransactionHost<never> = moduleRef.get(TransactionHost);
  for (const level of ['log', 'warn', 'error'] as const) {
    jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
  }
  return { orders, outbox, service, txHost };
}
