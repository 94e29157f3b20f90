import { EVENTS_EXCHANGE, OrderCreated } from '@app/contracts';
import { HANDLE_MESSAGE, type HandleMessageMetadata } from '@app/messaging';
import { Reflector } from '@nestjs/core';
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
    const metadata = new Reflector().get<HandleMessageMetadata>(
      HANDLE_MESSAGE,
      OrderCreatedHandler.prototype.handle,
    );

    expect(metadata.queue).toBe(paymentTopology.queues.orderCreated);
    expect(metadata.contract).toBe(OrderCreated);
    expect(metadata.queue.name).toBe('payment.order-created');
    expect(metadata.queue.bindings).toEqual([
      { exchange: EVENTS_EXCHANGE, routingKey: 'order.created' },
    ]);
  });
});
