import type { OrderStatus } from '../db/order.tables';
import { nextStep, type OrderProcessEvent } from './order-process';

const succeeded: OrderProcessEvent = { kind: 'payment-succeeded' };
const failed: OrderProcessEvent = { kind: 'payment-failed', reason: 'card_declined' };
const deadline: OrderProcessEvent = { kind: 'payment-deadline' };

describe('the order process', () => {
  it('settles a PENDING order on whichever comes first', () => {
    expect(nextStep('PENDING', succeeded)).toEqual({ kind: 'settle', status: 'PAID' });
    expect(nextStep('PENDING', failed)).toEqual({
      kind: 'settle',
      status: 'CANCELLED',
      reason: 'card_declined',
    });
    expect(nextStep('PENDING', deadline)).toEqual({
      kind: 'settle',
      status: 'CANCELLED',
      reason: 'payment_timeout',
    });
  });

  it('gives back a payment that comes for a CANCELLED order', () => {
    expect(nextStep('CANCELLED', succeeded)).toEqual({ kind: 'refund' });
  });

  it.each<[OrderStatus, OrderProcessEvent]>([
    ['PAID', succeeded],
    ['PAID', failed],
    ['PAID', deadline],
    ['CANCELLED', failed],
    ['CANCELLED', deadline],
  ])('leaves a %s order as it is on %o', (status, event) => {
    expect(nextStep(status, event)).toEqual({ kind: 'nothing' });
  });
});
