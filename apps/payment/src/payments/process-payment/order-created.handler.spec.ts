import { EVENTS_EXCHANGE, OrderCreated } from '@app/contracts';
import { messageRoutesOf } from '@app/messaging';
import { paymentTopology } from '../../payment.topology';
import { OrderCreatedHandler } from './order-created.handler';
import type { ProcessPaymentService } from './process-payment.service';

const event: OrderCreated = {
  orderId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  customerId: 'customer-1',
  currency: 'EUR',
  total: 2500,
  items: [{ sku: 'BOOK', quantity: 2, unitPrice: 1250 }],
  createdAt: '2026-11-05T10:00:00.000Z',
};

describe('OrderCreatedHandler (payment)', () => {
  it('processes the payment of the new order', async () => {
    const processPayment: jest.Mocked<Pick<ProcessPaymentService, 'process'>> = {
      process: jest.fn().mockResolvedValue(undefined),
    };
    const handler = new OrderCreatedHandler(processPayment as unknown as ProcessPaymentService);

    await handler.handle(event);

    expect(processPayment.process).toHaveBeenCalledWith(event);
  });

  it('consumes order.created from the payment.order-created work queue', () => {
    const [route] = messageRoutesOf(OrderCreatedHandler);

    expect(route.kind).toBe('event');
    expect(route.queue).toBe(paymentTopology.queues.orderCreated);
    expect(route.pattern).toBe(OrderCreated);
    expect(route.queue?.name).toBe('payment.order-created');
    expect(paymentTopology.queues.orderCreated.exchange).toBe(EVENTS_EXCHANGE);
  });
});
