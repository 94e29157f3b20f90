import type { PaymentRow } from '../../db/payment.tables';
import { toPaymentView } from './payment.view';

const row: PaymentRow = {
  id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  orderId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  status: 'SUCCEEDED',
  amount: 2500,
  currency: 'EUR',
  reason: null,
  providerReference: 'fake-ref',
  refundedAt: null,
  refundReference: null,
  createdAt: new Date('2026-11-05T10:00:00.000Z'),
};

describe('toPaymentView', () => {
  it('shows a payment with an ISO-8601 createdAt and no reason when there is none', () => {
    expect(toPaymentView(row)).toStrictEqual({
      id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      orderId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      status: 'SUCCEEDED',
      amount: 2500,
      currency: 'EUR',
      createdAt: '2026-11-05T10:00:00.000Z',
    });
  });

  it('includes the reason of a failed payment', () => {
    const view = toPaymentView({
      ...row,
      status: 'FAILED',
      reason: 'amount_limit_exceeded',
      providerReference: null,
    });

    expect(view).toMatchObject({ status: 'FAILED', reason: 'amount_limit_exceeded' });
  });

  it('never shows the provider reference', () => {
    expect(toPaymentView(row)).not.toHaveProperty('providerReference');
  });
});
