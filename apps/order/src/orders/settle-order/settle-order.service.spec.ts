import { OrderPaid, PaymentRefundRequested } from '@app/contracts';
import type { NumberedTransaction } from '@app/testing';
import { Logger } from '@nestjs/common';
import { OrderNotFoundError } from '../order-not-found.error';
import { PaymentMismatchError } from './payment-mismatch.error';
import type { SettleOrderFixture } from './settle-order.service.fixture';
import { DEADLINE_ID, ORDER_ID, orderRow, payment, setup } from './settle-order.service.fixture';

describe('SettleOrderService', () => {
  let orders: SettleOrderFixture['orders'];
  let outbox: SettleOrderFixture['outbox'];
  let service: SettleOrderFixture['service'];
  let txHost: SettleOrderFixture['txHost'];

  beforeEach(async () => {
    ({ orders, outbox, service, txHost } = await setup());
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
});
