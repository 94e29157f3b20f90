import { OrderCancelled, OrderPaid, PaymentRefundRequested } from '@app/contracts';
import { OutboxWriter } from '@app/outbox';
import { numberedTransactionsModule, type NumberedTransaction } from '@app/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { OrderRow, OrderStatus } from '../../db/order.tables';
import { OrderRepository } from '../order.repository';
import { OrderNotFoundError } from '../order-not-found.error';
import { PaymentMismatchError } from './payment-mismatch.error';
import { SettleOrderService } from './settle-order.service';

const ORDER_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const payment = {
  paymentId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  orderId: ORDER_ID,
  amount: 2500,
  currency: 'EUR',
};

const DEADLINE_ID = '3d6f0a2b-8c4e-4b1a-9f7d-5e2c1b0a9d8e';

const orderRow = (status: OrderStatus, cancelReason: string | null = null): OrderRow => ({
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

describe('SettleOrderService', () => {
  let orders: jest.Mocked<Pick<OrderRepository, 'settle' | 'findById'>>;
  let outbox: jest.Mocked<Pick<OutboxWriter, 'add' | 'discard'>>;
  let service: SettleOrderService;
  let txHost: TransactionHost<never>;

  beforeEach(async () => {
    // By default the order is not PENDING any more: the conditional settle updates nothing.
    orders = { settle: jest.fn().mockResolvedValue(undefined), findById: jest.fn() };
    outbox = { add: jest.fn().mockResolvedValue('message-id'), discard: jest.fn() };
    outbox.discard.mockResolvedValue(undefined);
    const moduleRef = await Test.createTestingModule({
      imports: [numberedTransactionsModule()],
      providers: [
        SettleOrderService,
        { provide: OrderRepository, useValue: orders },
        { provide: OutboxWriter, useValue: outbox },
      ],
    }).compile();
    service = moduleRef.get(SettleOrderService);
    txHost = moduleRef.get(TransactionHost);
    for (const level of ['log', 'warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
  });

  /** The transaction `txHost.tx` is in (0: none), as numberedTransactionsModule numbers them. */
  const currentTransaction = () => (txHost.tx as unknown as NumberedTransaction).number;

  afterEach(() => jest.restoreAllMocks());

  describe('paymentSucceeded', () => {
    it('moves a PENDING order to PAID and writes OrderPaid', async () => {
      orders.settle.mockResolvedValue(orderRow('PAID'));

      await service.paymentSucceeded(payment);

      expect(orders.settle).toHaveBeenCalledWith(ORDER_ID, 'PAID', undefined);
      // One statement: the conditional update says the order was PENDING.
      expect(orders.findById).not.toHaveBeenCalled();
      expect(outbox.add).toHaveBeenCalledTimes(1);
      expect(outbox.add).toHaveBeenCalledWith(OrderPaid, { orderId: ORDER_ID });
    });

    it('cancels the payment deadline of the order it pays', async () => {
      orders.settle.mockResolvedValue(orderRow('PAID'));

      await service.paymentSucceeded(payment);

      expect(outbox.discard).toHaveBeenCalledWith(DEADLINE_ID);
    });

    it('leaves alone an order placed before orders named their deadline', async () => {
      orders.settle.mockResolvedValue({ ...orderRow('PAID'), paymentDeadlineId: null });

      await service.paymentSucceeded(payment);

      expect(outbox.discard).not.toHaveBeenCalled();
    });

    it('asks for a refund of a payment for a CANCELLED order, which stays cancelled', async () => {
      orders.findById.mockResolvedValue(orderRow('CANCELLED', 'payment_timeout'));

      await service.paymentSucceeded(payment);

      expect(orders.settle).toHaveBeenCalledWith(ORDER_ID, 'PAID', undefined);
      expect(outbox.add).toHaveBeenCalledTimes(1);
      expect(outbox.add).toHaveBeenCalledWith(PaymentRefundRequested, {
        ...payment,
        reason: 'order_cancelled',
      });
      expect(outbox.discard).not.toHaveBeenCalled();
    });

    it('writes nothing for an order already PAID', async () => {
      orders.findById.mockResolvedValue(orderRow('PAID'));
      await service.paymentSucceeded(payment);
      expect(outbox.add).not.toHaveBeenCalled();
      expect(outbox.discard).not.toHaveBeenCalled();
    });

    it('fails permanently when the order does not exist', async () => {
      orders.findById.mockResolvedValue(undefined);
      await expect(service.paymentSucceeded(payment)).rejects.toBeInstanceOf(OrderNotFoundError);
      expect(outbox.add).not.toHaveBeenCalled();
    });

    it.each([
      ['amount', { amount: 1 }, 'of 1 EUR'],
      ['currency', { currency: 'JPY' }, 'of 2500 JPY'],
    ])(
      'fails permanently for a payment of another %s, and asks for its refund after the rollback',
      async (_, change, paid) => {
        orders.settle.mockResolvedValue(orderRow('PAID'));
        const writtenIn: number[] = [];
        outbox.add.mockImplementation(() => {
          writtenIn.push(currentTransaction());
          return Promise.resolve('message-id');
        });
        const mismatched = { ...payment, ...change };
        const failure = txHost.withTransaction(() => service.paymentSucceeded(mismatched));
        await expect(failure).rejects.toBeInstanceOf(PaymentMismatchError);
        await expect(failure).rejects.toThrow(
          `payment ${payment.paymentId} ${paid} does not pay order ${ORDER_ID}, of 2500 EUR`,
        );
        // The update to PAID rolls back with the transaction the error fails: no OrderPaid, and
        // the refund request goes in a transaction of its own, once.
        expect(outbox.add).toHaveBeenCalledTimes(1);
        expect(outbox.add).toHaveBeenCalledWith(PaymentRefundRequested, {
          ...mismatched,
          reason: 'payment_mismatch',
        });
        expect(writtenIn).toEqual([2]);
        expect(outbox.discard).not.toHaveBeenCalled();
      },
    );

    it('still fails the message, for a replay to ask again, when the refund cannot be written', async () => {
      orders.settle.mockResolvedValue(orderRow('PAID'));
      outbox.add.mockRejectedValue(new Error('pool timeout'));
      const failure = txHost.withTransaction(() =>
        service.paymentSucceeded({ ...payment, amount: 1 }),
      );
      await expect(failure).rejects.toBeInstanceOf(PaymentMismatchError);
      expect(Logger.prototype.error).toHaveBeenCalledWith(
        expect.stringContaining('its refund could not be asked for (pool timeout)'),
      );
    });
  });

  describe('paymentFailed', () => {
    it('moves a PENDING order to CANCELLED with the reason and writes OrderCancelled', async () => {
      orders.settle.mockResolvedValue(orderRow('CANCELLED', 'amount_limit_exceeded'));

      await service.paymentFailed(ORDER_ID, 'amount_limit_exceeded');

      expect(orders.settle).toHaveBeenCalledWith(ORDER_ID, 'CANCELLED', 'amount_limit_exceeded');
      expect(outbox.add).toHaveBeenCalledWith(OrderCancelled, {
        orderId: ORDER_ID,
        reason: 'amount_limit_exceeded',
      });
      expect(outbox.discard).toHaveBeenCalledWith(DEADLINE_ID);
    });

    it.each<OrderStatus>(['PAID', 'CANCELLED'])(
      'changes nothing for an order already %s',
      async (status) => {
        orders.findById.mockResolvedValue(orderRow(status));
        await expect(service.paymentFailed(ORDER_ID, 'card_declined')).resolves.toBeUndefined();
        expect(outbox.add).not.toHaveBeenCalled();
        expect(outbox.discard).not.toHaveBeenCalled();
      },
    );

    it('fails permanently, naming the order, when the order does not exist', async () => {
      orders.findById.mockResolvedValue(undefined);
      const failure = service.paymentFailed(ORDER_ID, 'card_declined');
      await expect(failure).rejects.toBeInstanceOf(OrderNotFoundError);
      await expect(failure).rejects.toThrow(ORDER_ID);
    });
  });

  describe('paymentDeadline', () => {
    it('cancels a PENDING order with payment_timeout and writes OrderCancelled', async () => {
      orders.settle.mockResolvedValue(orderRow('CANCELLED', 'payment_timeout'));

      await service.paymentDeadline(ORDER_ID);

      expect(orders.settle).toHaveBeenCalledWith(ORDER_ID, 'CANCELLED', 'payment_timeout');
      expect(outbox.add).toHaveBeenCalledWith(OrderCancelled, {
        orderId: ORDER_ID,
        reason: 'payment_timeout',
      });
      // The deadline is the message being handled: already sent, nothing to cancel.
      expect(outbox.discard).not.toHaveBeenCalled();
    });

    it.each<OrderStatus>(['PAID', 'CANCELLED'])(
      'changes nothing for an order already %s',
      async (status) => {
        orders.findById.mockResolvedValue(orderRow(status));
        await service.paymentDeadline(ORDER_ID);
        expect(outbox.add).not.toHaveBeenCalled();
      },
    );

    it('changes nothing when a payment result settled the order first', async () => {
      orders.findById.mockResolvedValue(orderRow('PAID'));
      await service.paymentDeadline(ORDER_ID);
      expect(orders.settle).toHaveBeenCalledWith(ORDER_ID, 'CANCELLED', 'payment_timeout');
      expect(outbox.add).not.toHaveBeenCalled();
    });
  });
});
