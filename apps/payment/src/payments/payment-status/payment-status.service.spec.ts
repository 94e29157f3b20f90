import type { PaymentRow } from '../../db/payment.tables';
import type { PaymentRepository } from '../payment.repository';
import { PaymentStatusService } from './payment-status.service';

const ORDER_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const PAYMENT_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

const payment = (overrides: Partial<PaymentRow>): PaymentRow => ({
  id: PAYMENT_ID,
  orderId: ORDER_ID,
  status: 'SUCCEEDED',
  amount: 2500,
  currency: 'EUR',
  reason: null,
  providerReference: 'fake-ref',
  refundedAt: null,
  refundReference: null,
  createdAt: new Date('2026-11-05T10:00:00.000Z'),
  ...overrides,
});

describe('PaymentStatusService', () => {
  let payments: jest.Mocked<Pick<PaymentRepository, 'findByOrder'>>;
  let service: PaymentStatusService;

  beforeEach(() => {
    payments = { findByOrder: jest.fn() };
    service = new PaymentStatusService(payments as unknown as PaymentRepository);
  });

  it('answers PENDING, and nothing else, while the order has no payment', async () => {
    payments.findByOrder.mockResolvedValue(undefined);

    await expect(service.forOrder(ORDER_ID)).resolves.toStrictEqual({ status: 'PENDING' });
    expect(payments.findByOrder).toHaveBeenCalledWith(ORDER_ID);
  });

  it('answers SUCCEEDED with the paymentId and no reason', async () => {
    payments.findByOrder.mockResolvedValue(payment({ status: 'SUCCEEDED' }));

    await expect(service.forOrder(ORDER_ID)).resolves.toStrictEqual({
      status: 'SUCCEEDED',
      paymentId: PAYMENT_ID,
    });
  });

  it('answers FAILED with the paymentId and the reason', async () => {
    payments.findByOrder.mockResolvedValue(
      payment({ status: 'FAILED', reason: 'amount_limit_exceeded', providerReference: null }),
    );

    await expect(service.forOrder(ORDER_ID)).resolves.toStrictEqual({
      status: 'FAILED',
      paymentId: PAYMENT_ID,
      reason: 'amount_limit_exceeded',
    });
  });

  it('leaves the reason out of a FAILED answer when none was recorded', async () => {
    payments.findByOrder.mockResolvedValue(payment({ status: 'FAILED', reason: null }));

    await expect(service.forOrder(ORDER_ID)).resolves.toStrictEqual({
      status: 'FAILED',
      paymentId: PAYMENT_ID,
    });
  });
});
