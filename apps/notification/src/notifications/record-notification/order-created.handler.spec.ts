import { EVENTS_EXCHANGE, OrderCreated } from '@app/contracts';
import { messageRoutesOf } from '@app/messaging';
import { notificationTopology } from '../../notification.topology';
import { OrderCreatedHandler } from './order-created.handler';
import type { RecordNotificationService } from './record-notification.service';

const event: OrderCreated = {
  orderId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  customerId: 'customer-1',
  currency: 'EUR',
  total: 2500,
  items: [{ sku: 'BOOK', quantity: 2, unitPrice: 1250 }],
  createdAt: '2026-11-05T10:00:00.000Z',
};

describe('OrderCreatedHandler (notification)', () => {
  it('records an order-received notification for the order', async () => {
    const recordNotification: jest.Mocked<Pick<RecordNotificationService, 'record'>> = {
      record: jest.fn().mockResolvedValue(undefined),
    };
    const handler = new OrderCreatedHandler(
      recordNotification as unknown as RecordNotificationService,
    );

    await handler.handle(event);

    expect(recordNotification.record).toHaveBeenCalledWith(event.orderId, 'order-received');
  });

  it('consumes order.created from the notification.order-events queue', () => {
    const [route] = messageRoutesOf(OrderCreatedHandler);

    expect(route.kind).toBe('event');
    expect(route.queue).toBe(notificationTopology.queues.orderEvents);
    expect(route.pattern).toBe(OrderCreated);
    expect(route.queue?.name).toBe('notification.order-events');
    expect(notificationTopology.queues.orderEvents.bindings).toContainEqual({
      exchange: EVENTS_EXCHANGE,
      routingKey: 'order.created',
    });
  });
});
