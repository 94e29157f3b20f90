import { OrderCancelled, OrderPaid } from '@app/contracts';
import type { OutboxWriter } from '@app/outbox';
import { Logger } from '@nestjs/common';
import type { OrderRow, OrderStatus } from '../../db/order.tables';
import type { OrderRepository } from '../order.repository';
import { SettleOrderService } from './settle-order.service';
import { OrderNotFoundError } from '../order-not-found.error';

const ORDER_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

const orderRow = (status: OrderStatus, cancelReason: string | null = null): OrderRow => ({
  id: ORDER_ID,
  customerId: 'customer-1',
  status,
  currency: 'EUR',
  total: 2500,
  items: [{ sku: 'BOOK', quantity: 2, unitPrice: 1250 }],
  cancelReason,
  createdAt: new Date('2026-11-05T10:00:00.000Z'),
  updatedAt: new Date('2026-11-05T10:00:01.000Z'),
});

describe('SettleOrderService', () => {
  let orders: jest.Mocked<Pick<OrderRepository, 'settle' | 'findById'>>;
  let outbox: jest.Mocked<Pick<OutboxWriter, 'add'>>;
  let service: SettleOrderService;

  beforeEach(() => {
    orders = { settle: jest.fn(), findById: jest.fn() };
    outbox = { add: jest.fn().mockResolvedValue('message-id') };
    service = new SettleOrderService(
      orders as unknown as OrderRepository,
      outbox as unknown as OutboxWriter,
    );
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  describe('markPaid', () => {
    it('moves a PENDING order to PAID and writes OrderPaid', async () => {
      orders.settle.mockResolvedValue(orderRow('PAID'));

      await service.markPaid(ORDER_ID);

      expect(orders.settle).toHaveBeenCalledWith(ORDER_ID, 'PAID', undefined);
      expect(outbox.add).toHaveBeenCalledTimes(1);
      expect(outbox.add).toHaveBeenCalledWith(OrderPaid, { orderId: ORDER_ID });
    });

    it.each<OrderStatus>(['PAID', 'CANCELLED'])(
      'writes no event when the order is already %s',
      async (status) => {
        orders.settle.mockResolvedValue(undefined);
        orders.findById.mockResolvedValue(orderRow(status));

        await expect(service.markPaid(ORDER_ID)).resolves.toBeUndefined();
        expect(outbox.add).not.toHaveBeenCalled();
      },
    );

    it('fails permanently when the order does not exist', async () => {
      orders.settle.mockResolvedValue(undefined);
      orders.findById.mockResolvedValue(undefined);

      await expect(service.markPaid(ORDER_ID)).rejects.toBeInstanceOf(OrderNotFoundError);
      expect(outbox.add).not.toHaveBeenCalled();
    });
  });

  describe('cancel', () => {
    it('moves a PENDING order to CANCELLED with the reason and writes OrderCancelled', async () => {
      orders.settle.mockResolvedValue(orderRow('CANCELLED', 'amount_limit_exceeded'));

      await service.cancel(ORDER_ID, 'amount_limit_exceeded');

      expect(orders.settle).toHaveBeenCalledWith(ORDER_ID, 'CANCELLED', 'amount_limit_exceeded');
      expect(outbox.add).toHaveBeenCalledTimes(1);
      expect(outbox.add).toHaveBeenCalledWith(OrderCancelled, {
        orderId: ORDER_ID,
        reason: 'amount_limit_exceeded',
      });
    });

    it.each<OrderStatus>(['PAID', 'CANCELLED'])(
      'writes no event when the order is already %s',
      async (status) => {
        orders.settle.mockResolvedValue(undefined);
        orders.findById.mockResolvedValue(orderRow(status));

        await expect(service.cancel(ORDER_ID, 'card_declined')).resolves.toBeUndefined();
        expect(outbox.add).not.toHaveBeenCalled();
      },
    );

    it('fails permanently, naming the order, when the order does not exist', async () => {
      orders.settle.mockResolvedValue(undefined);
      orders.findById.mockResolvedValue(undefined);

      const failure = service.cancel(ORDER_ID, 'card_declined');

      await expect(failure).rejects.toBeInstanceOf(OrderNotFoundError);
      await expect(failure).rejects.toThrow(ORDER_ID);
      expect(outbox.add).not.toHaveBeenCalled();
    });
  });
});
