import { EVENTS_EXCHANGE, PaymentFailed } from '@app/contracts';
import { messageRoutesOf } from '@app/messaging';
import { orderTopology } from '../../order.topology';
import { PaymentFailedHandler } from './payment-failed.handler';
import type { SettleOrderService } from './settle-order.service';

const event: PaymentFailed = {
  paymentId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  orderId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  amount: 2_000_000,
  currency: 'EUR',
  reason: 'amount_limit_exceeded',
};

describe('PaymentFailedHandler', () => {
  it('cancels the order of the payment with the failure reason', async () => {
    const settleOrder: jest.Mocked<Pick<SettleOrderService, 'markPaid' | 'cancel'>> = {
      markPaid: jest.fn(),
      cancel: jest.fn().mockResolvedValue(undefined),
    };
    const handler = new PaymentFailedHandler(settleOrder as unknown as SettleOrderService);

    await handler.handle(event);

    expect(settleOrder.cancel).toHaveBeenCalledWith(event.orderId, 'amount_limit_exceeded');
    expect(settleOrder.markPaid).not.toHaveBeenCalled();
  });

  it('lets a settling failure through, so the message is retried or dead-lettered', async () => {
    const settleOrder = { cancel: jest.fn().mockRejectedValue(new Error('db down')) };
    const handler = new PaymentFailedHandler(settleOrder as unknown as SettleOrderService);

    await expect(handler.handle(event)).rejects.toThrow('db down');
  });

  it('consumes payment.failed from the order.payment-results queue', () => {
    const [route] = messageRoutesOf(PaymentFailedHandler);

    expect(route.kind).toBe('event');
    expect(route.queue).toBe(orderTopology.queues.paymentResults);
    expect(route.pattern).toBe(PaymentFailed);
    expect(route.queue?.name).toBe('order.payment-results');
    expect(orderTopology.queues.paymentResults.bindings).toContainEqual({
      exchange: EVENTS_EXCHANGE,
      routingKey: 'payment.failed',
    });
  });
});
