import { PaymentRefunded } from '@app/contracts';
import type { OutboxWriter } from '@app/outbox';
import { Logger } from '@nestjs/common';
import type { PaymentRow } from '../../db/payment.tables';
import { PaymentNotFoundError } from '../payment-not-found.error';
import type { PaymentRepository } from '../payment.repository';
import { PaymentNotRefundableError } from './payment-not-refundable.error';
import { RefundPaymentService } from './refund-payment.service';

const PAYMENT_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const ORDER_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const request = {
  paymentId: PAYMENT_ID,
  orderId: ORDER_ID,
  amount: 2500,
  currency: 'EUR',
  reason: 'order_cancelled',
};

const paymentRow = (status: PaymentRow['status']): PaymentRow => ({
  id: PAYMENT_ID,
  orderId: ORDER_ID,
  status,
  amount: 2500,
  currency: 'EUR',
  reason: null,
  providerReference: 'fake-ref',
  createdAt: new Date('2026-11-05T10:00:00.000Z'),
  refundedAt: status === 'REFUNDED' ? new Date('2026-11-05T10:20:00.000Z') : null,
  refundReference: status === 'REFUNDED' ? 'refund-1' : null,
});

function setup() {
  const payments = { findById: jest.fn(), markRefunded: jest.fn() };
  const provider = { charge: jest.fn(), refund: jest.fn().mockResolvedValue({ reference: 'r-1' }) };
  const outbox = { add: jest.fn().mockResolvedValue('message-id') };
  const service = new RefundPaymentService(
    payments as unknown as PaymentRepository,
    provider,
    outbox as unknown as OutboxWriter,
  );
  return { service, payments, provider, outbox };
}

describe('RefundPaymentService', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('refunds a SUCCEEDED payment through the provider, marks it and writes PaymentRefunded', async () => {
    const { service, payments, provider, outbox } = setup();
    payments.findById.mockResolvedValue(paymentRow('SUCCEEDED'));
    payments.markRefunded.mockResolvedValue(paymentRow('REFUNDED'));

    await service.refund(request);

    expect(provider.refund).toHaveBeenCalledWith({
      paymentId: PAYMENT_ID,
      chargeReference: 'fake-ref',
      amount: 2500,
      currency: 'EUR',
    });
    expect(payments.markRefunded).toHaveBeenCalledWith(PAYMENT_ID, 'r-1');
    expect(outbox.add).toHaveBeenCalledWith(PaymentRefunded, {
      paymentId: PAYMENT_ID,
      orderId: ORDER_ID,
      amount: 2500,
      currency: 'EUR',
    });
  });

  it('changes nothing for a payment already REFUNDED (a second request)', async () => {
    const { service, payments, provider, outbox } = setup();
    payments.findById.mockResolvedValue(paymentRow('REFUNDED'));
    await service.refund(request);
    expect(provider.refund).not.toHaveBeenCalled();
    expect(outbox.add).not.toHaveBeenCalled();
  });

  it('fails permanently, refunding nothing, for a payment that FAILED', async () => {
    const { service, payments, provider, outbox } = setup();
    payments.findById.mockResolvedValue(paymentRow('FAILED'));
    await expect(service.refund(request)).rejects.toThrow(
      new PaymentNotRefundableError(PAYMENT_ID),
    );
    expect(provider.refund).not.toHaveBeenCalled();
    expect(outbox.add).not.toHaveBeenCalled();
  });

  it('writes no second event when another request marked it refunded meanwhile', async () => {
    const { service, payments, outbox } = setup();
    payments.findById.mockResolvedValue(paymentRow('SUCCEEDED'));
    payments.markRefunded.mockResolvedValue(undefined);
    await service.refund(request);
    expect(outbox.add).not.toHaveBeenCalled();
  });

  it('fails permanently for a payment it never made', async () => {
    const { service, payments } = setup();
    payments.findById.mockResolvedValue(undefined);
    await expect(service.refund(request)).rejects.toBeInstanceOf(PaymentNotFoundError);
  });

  it("fails permanently, refunding nothing, for a payment of another order than the request's", async () => {
    const { service, payments, provider } = setup();
    payments.findById.mockResolvedValue(paymentRow('SUCCEEDED'));
    const otherOrder = '5b1e7c3a-9d2f-4e6a-8b0c-1d2e3f4a5b6c';
    await expect(service.refund({ ...request, orderId: otherOrder })).rejects.toThrow(
      new PaymentNotFoundError(PAYMENT_ID, otherOrder),
    );
    expect(provider.refund).not.toHaveBeenCalled();
  });

  it('lets a provider failure through, writing nothing, so the request is retried', async () => {
    const { service, payments, provider, outbox } = setup();
    payments.findById.mockResolvedValue(paymentRow('SUCCEEDED'));
    provider.refund.mockRejectedValue(new Error('provider down'));
    await expect(service.refund(request)).rejects.toThrow('provider down');
    expect(payments.markRefunded).not.toHaveBeenCalled();
    expect(outbox.add).not.toHaveBeenCalled();
  });
});
