import { EVENTS_EXCHANGE, PaymentSucceeded } from '@app/contracts';
import { messageRoutesOf } from '@app/messaging';
import { orderTopology } from '../../order.topology';
import { PaymentSucceededHandler } from './payment-succeeded.handler';
import type { SettleOrderService } from './settle-order.service';

const event: PaymentSucceeded = {
  paymentId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  orderId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  amount: 2500,
  currency: 'EUR',
};

describe('PaymentSucceededHandler', () => {
  it('marks the order of the payment as paid', async () => {
    const settleOrder: jest.Mocked<Pick<SettleOrderService, 'markPaid' | 'cancel'>> = {
      markPaid: jest.fn().mockResolvedValue(undefined),
      cancel: jest.fn(),
    };
    const handler = new PaymentSucceededHandler(settleOrder as unknown as SettleOrderService);

    await handler.handle(event);

    expect(settleOrder.markPaid).toHaveBeenCalledWith(event.orderId);
    expect(settleOrder.cancel).not.toHaveBeenCalled();
  });

  it('lets a settling failure through, so the message is retried or dead-lettered', async () => {
    const settleOrder = { markPaid: jest.fn().mockRejectedValue(new Error('db down')) };
    const handler = new PaymentSucceededHandler(settleOrder as unknown as SettleOrderService);

    await expect(handler.handle(event)).rejects.toThrow('db down');
  });

  it('consumes payment.succeeded from the order.payment-results queue', () => {
    const [route] = messageRoutesOf(PaymentSucceededHandler);

    expect(route.kind).toBe('event');
    expect(route.queue).toBe(orderTopology.queues.paymentResults);
    expect(route.pattern).toBe(PaymentSucceeded);
    expect(route.queue?.name).toBe('order.payment-results');
    expect(orderTopology.queues.paymentResults.bindings).toContainEqual({
      exchange: EVENTS_EXCHANGE,
      routingKey: 'payment.succeeded',
    });
  });
});
