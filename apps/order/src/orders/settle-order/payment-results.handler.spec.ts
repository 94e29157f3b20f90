import { EVENTS_EXCHANGE, PaymentFailed, PaymentSucceeded } from '@app/contracts';
import { messageRoutesOf } from '@app/messaging';
import { orderTopology } from '../../order.topology';
import { PaymentResultsHandler } from './payment-results.handler';
import type { SettleOrderService } from './settle-order.service';

const succeeded: PaymentSucceeded = {
  paymentId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  orderId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  amount: 2500,
  currency: 'EUR',
};
const failed: PaymentFailed = {
  ...succeeded,
  amount: 2_000_000,
  reason: 'amount_limit_exceeded',
};

function setup() {
  const settleOrder: jest.Mocked<Pick<SettleOrderService, 'paymentSucceeded' | 'paymentFailed'>> = {
    paymentSucceeded: jest.fn().mockResolvedValue(undefined),
    paymentFailed: jest.fn().mockResolvedValue(undefined),
  };
  const handler = new PaymentResultsHandler(settleOrder as unknown as SettleOrderService);
  return { handler, settleOrder };
}

describe('PaymentResultsHandler', () => {
  it('moves the order of a successful payment on', async () => {
    const { handler, settleOrder } = setup();
    await handler.onPaymentSucceeded(succeeded);
    expect(settleOrder.paymentSucceeded).toHaveBeenCalledWith(succeeded);
    expect(settleOrder.paymentFailed).not.toHaveBeenCalled();
  });

  it('cancels the order of a failed payment with the failure reason', async () => {
    const { handler, settleOrder } = setup();
    await handler.onPaymentFailed(failed);
    expect(settleOrder.paymentFailed).toHaveBeenCalledWith(failed.orderId, 'amount_limit_exceeded');
    expect(settleOrder.paymentSucceeded).not.toHaveBeenCalled();
  });

  it('lets a settling failure through, so the message is retried or dead-lettered', async () => {
    const { handler, settleOrder } = setup();
    settleOrder.paymentSucceeded.mockRejectedValue(new Error('db down'));
    settleOrder.paymentFailed.mockRejectedValue(new Error('db down'));
    await expect(handler.onPaymentSucceeded(succeeded)).rejects.toThrow('db down');
    await expect(handler.onPaymentFailed(failed)).rejects.toThrow('db down');
  });

  it('consumes both payment results from order.payment-results, bound on events', () => {
    const routes = messageRoutesOf(PaymentResultsHandler);

    expect(routes.map(({ pattern }) => pattern)).toEqual([PaymentSucceeded, PaymentFailed]);
    for (const route of routes) {
      expect(route.kind).toBe('event');
      expect(route.queue).toBe(orderTopology.queues.paymentResults);
    }
    expect(orderTopology.queues.paymentResults.name).toBe('order.payment-results');
    expect(orderTopology.queues.paymentResults.exchange).toBe(EVENTS_EXCHANGE);
  });
});
