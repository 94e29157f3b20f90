import { OrderCancelled } from '@app/contracts';
import type { OrderStatus } from '../../db/order.tables';
import { OrderNotFoundError } from '../order-not-found.error';
import type { SettleOrderFixture } from './settle-order.service.fixture';
import { DEADLINE_ID, ORDER_ID, orderRow, setup } from './settle-order.service.fixture';

describe('SettleOrderService', () => {
  let orders: SettleOrderFixture['orders'];
  let outbox: SettleOrderFixture['outbox'];
  let service: SettleOrderFixture['service'];

  beforeEach(async () => {
    ({ orders, outbox, service } = await setup());
  });

  afterEach(() => jest.restoreAllMocks());

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
