import { type OrderCreated, PaymentFailed, PaymentSucceeded } from '@app/contracts';
import type { OutboxWriter } from '@app/outbox';
import { Logger } from '@nestjs/common';
import type { PaymentRow } from '../../db/payment.tables';
import { type PaymentProvider, ProviderUnavailableError } from '../../provider/payment-provider';
import type { PaymentRepository } from '../payment.repository';
import { ProcessPaymentService } from './process-payment.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ORDER_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

const order: OrderCreated = {
  orderId: ORDER_ID,
  customerId: 'customer-1',
  currency: 'EUR',
  total: 2500,
  items: [{ sku: 'BOOK', quantity: 2, unitPrice: 1250 }],
  createdAt: '2026-11-05T10:00:00.000Z',
};

describe('ProcessPaymentService', () => {
  let payments: jest.Mocked<Pick<PaymentRepository, 'insertUnlessPaid'>>;
  let provider: jest.Mocked<PaymentProvider>;
  let outbox: jest.Mocked<Pick<OutboxWriter, 'add'>>;
  let service: ProcessPaymentService;

  beforeEach(() => {
    payments = {
      insertUnlessPaid: jest.fn((payment) =>
        Promise.resolve({ ...payment, createdAt: new Date() } as PaymentRow),
      ),
    };
    provider = { charge: jest.fn(), refund: jest.fn() };
    outbox = { add: jest.fn().mockResolvedValue('message-id') };
    service = new ProcessPaymentService(
      payments as unknown as PaymentRepository,
      provider,
      outbox as unknown as OutboxWriter,
    );
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('charges the order total in its currency', async () => {
    provider.charge.mockResolvedValue({ outcome: 'approved', reference: 'ref-1' });

    await service.process(order);

    expect(provider.charge).toHaveBeenCalledWith({
      orderId: ORDER_ID,
      amount: 2500,
      currency: 'EUR',
    });
  });

  it('records an approved charge as SUCCEEDED and writes PaymentSucceeded', async () => {
    provider.charge.mockResolvedValue({ outcome: 'approved', reference: 'ref-1' });

    await service.process(order);

    expect(payments.insertUnlessPaid).toHaveBeenCalledWith({
      id: expect.stringMatching(UUID),
      orderId: ORDER_ID,
      amount: 2500,
      currency: 'EUR',
      status: 'SUCCEEDED',
      reason: null,
      providerReference: 'ref-1',
    });
    const [payment] = payments.insertUnlessPaid.mock.calls[0];
    expect(outbox.add).toHaveBeenCalledTimes(1);
    expect(outbox.add).toHaveBeenCalledWith(PaymentSucceeded, {
      paymentId: payment.id,
      orderId: ORDER_ID,
      amount: 2500,
      currency: 'EUR',
    });
  });

  it('records a declined charge as FAILED and writes PaymentFailed with the reason', async () => {
    provider.charge.mockResolvedValue({ outcome: 'declined', reason: 'amount_limit_exceeded' });

    await service.process(order);

    expect(payments.insertUnlessPaid).toHaveBeenCalledWith(
      expect.objectContaining({
        status: 'FAILED',
        reason: 'amount_limit_exceeded',
        providerReference: null,
      }),
    );
    const [payment] = payments.insertUnlessPaid.mock.calls[0];
    expect(outbox.add).toHaveBeenCalledTimes(1);
    expect(outbox.add).toHaveBeenCalledWith(PaymentFailed, {
      paymentId: payment.id,
      orderId: ORDER_ID,
      amount: 2500,
      currency: 'EUR',
      reason: 'amount_limit_exceeded',
    });
  });

  it('announces a decline that came without a reason as "declined", as the contract needs one', async () => {
    provider.charge.mockResolvedValue({ outcome: 'declined', reason: '' });
    await service.process(order);
    const [, payload] = outbox.add.mock.calls[0];
    expect(PaymentFailed.schema.safeParse(payload).success).toBe(true);
    expect(payload).toMatchObject({ reason: 'declined' });
  });

  it('records and announces nothing when the order already has a payment', async () => {
    provider.charge.mockResolvedValue({ outcome: 'approved', reference: 'ref-0' });
    payments.insertUnlessPaid.mockResolvedValue(undefined);

    await service.process(order);

    expect(provider.charge).toHaveBeenCalledWith({
      orderId: ORDER_ID,
      amount: order.total,
      currency: order.currency,
    });
    expect(outbox.add).not.toHaveBeenCalled();
  });

  it('writes nothing and lets the error through when the provider fails', async () => {
    const unavailable = new ProviderUnavailableError('payment provider is temporarily unavailable');
    provider.charge.mockRejectedValue(unavailable);

    await expect(service.process(order)).rejects.toBe(unavailable);
    expect(payments.insertUnlessPaid).not.toHaveBeenCalled();
    expect(outbox.add).not.toHaveBeenCalled();
  });
});
