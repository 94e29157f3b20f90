import { OrderCreated, PaymentDeadline } from '@app/contracts';
import { HttpStatus } from '@nestjs/common';
import type { CreateOrderFixture, Write } from './create-order.service.fixture';
import { request, setup, TOTAL } from './create-order.service.fixture';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('CreateOrderService', () => {
  let service: CreateOrderFixture['service'];
  let orders: CreateOrderFixture['orders'];
  let written: CreateOrderFixture['written'];
  /** Each repository/outbox call, in order, with the transaction it ran in (0 = none). */
  let writes: Write[];

  beforeEach(async () => {
    writes = [];
    ({ service, orders, written } = await setup((write) => writes.push(write)));
  });

  describe('without an Idempotency-Key', () => {
    it('inserts a PENDING order with the computed total', async () => {
      await service.create(request);

      expect(orders.insert).toHaveBeenCalledWith({
        id: expect.stringMatching(UUID),
        customerId: 'customer-1',
        status: 'PENDING',
        currency: 'EUR',
        total: TOTAL,
        items: request.items,
        paymentDeadlineId: expect.stringMatching(UUID),
      });
    });

    it('writes OrderCreated with the DESIGN §3 payload to the outbox', async () => {
      await service.create(request);

      expect(written(OrderCreated.type)?.payload).toEqual({
        orderId: orders.insert.mock.calls[0][0].id,
        customerId: 'customer-1',
        currency: 'EUR',
        total: TOTAL,
        items: request.items,
        createdAt: '2026-11-05T10:00:00.000Z',
      });
    });

    it('schedules its payment deadline, ORDER_PAYMENT_TIMEOUT_MS ahead, to its own queue', async () => {
      await service.create(request);

      expect(written(PaymentDeadline.type)).toEqual({
        contract: PaymentDeadline,
        payload: { orderId: orders.insert.mock.calls[0][0].id },
        options: {
          route: { exchange: '', routingKey: 'order.payment-deadlines' },
          delayMs: 3000,
          messageId: expect.stringMatching(UUID),
        },
      });
    });

    it('names the deadline in the order, so settling the order can cancel it', async () => {
      await service.create(request);

      expect(orders.insert.mock.calls[0][0].paymentDeadlineId).toBe(
        written(PaymentDeadline.type)?.options.messageId,
      );
    });

    it('writes the order, then its event and its deadline in one statement, in one transaction', async () => {
      await service.create(request);

      expect(writes).toEqual([
        ['orders.insert', 1],
        ['outbox.addAll', 1],
      ]);
    });

    it('answers 202 with the order view', async () => {
      const result = await service.create(request);

      expect(result).toEqual({
        status: HttpStatus.ACCEPTED,
        body: {
          id: orders.insert.mock.calls[0][0].id,
          customerId: 'customer-1',
          status: 'PENDING',
          currency: 'EUR',
          total: TOTAL,
          items: request.items,
          createdAt: '2026-11-05T10:00:00.000Z',
          updatedAt: '2026-11-05T10:00:00.000Z',
          cancelReason: null,
        },
      });
    });
  });
});
