import { classifyFailure, combinePolicies } from '@app/messaging';
import { PaymentNotFoundError } from './payments/payment-not-found.error';
import { paymentTopology } from './payment.topology';
import { ProviderCircuitOpenError } from './provider/payment-provider';

/** How payment's consumer reads an error of a handler of `queue`. */
const failureOf = (queue: 'orderCreated' | 'refundRequests', error: Error) =>
  classifyFailure(
    error,
    combinePolicies(paymentTopology.failures, paymentTopology.queues[queue].failures),
  );

describe('payment topology: how its handlers’ errors fail a message', () => {
  it.each(['orderCreated', 'refundRequests'] as const)(
    'defers a message of %s while the provider circuit is open, without using an attempt',
    (queue) => {
      expect(failureOf(queue, new ProviderCircuitOpenError())).toEqual({ kind: 'defer' });
    },
  );

  it.each(['orderCreated', 'refundRequests'] as const)(
    'retries a message of %s on any other error, with its backoff',
    (queue) => {
      expect(failureOf(queue, new Error('connection reset'))).toEqual({ kind: 'retry' });
    },
  );

  it('dead-letters at once a refund of a payment it does not know', () => {
    expect(failureOf('refundRequests', new PaymentNotFoundError('p-1'))).toEqual({
      kind: 'permanent',
      reason: expect.stringContaining('p-1'),
    });
    expect(failureOf('orderCreated', new PaymentNotFoundError('p-1'))).toEqual({ kind: 'retry' });
  });
});
