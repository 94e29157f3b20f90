import { EVENTS_EXCHANGE, OrderCancelled } from '@app/contracts';
import { messageRoutesOf } from '@app/messaging';
import { notificationTopology } from '../../notification.topology';
import { OrderCancelledHandler } from './order-cancelled.handler';
import type { RecordNotificationService } from './record-notification.service';

const event: OrderCancelled = {
  orderId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  reason: 'amount_limit_exceeded',
};

describe('OrderCancelledHandler (notification)', () => {
  it('records an order-cancelled notification for the order', async () => {
    const recordNotification: jest.Mocked<Pick<RecordNotificationService, 'record'>> = {
      record: jest.fn().mockResolvedValue(undefined),
    };
    const handler = new OrderCancelledHandler(
      recordNotification as unknown as RecordNotificationService,
    );

    await handler.handle(event);

    expect(recordNotification.record).toHaveBeenCalledWith(event.orderId, 'order-cancelled');
  });

  it('consumes order.cancelled from the notification.order-events queue', () => {
    const [route] = messageRoutesOf(OrderCancelledHandler);

    expect(route.kind).toBe('event');
    expect(route.queue).toBe(notificationTopology.queues.orderEvents);
    expect(route.pattern).toBe(OrderCancelled);
    expect(route.queue?.name).toBe('notification.order-events');
    expect(notificationTopology.queues.orderEvents.bindings).toContainEqual({
      exchange: EVENTS_EXCHANGE,
      routingKey: 'order.cancelled',
    });
  });
});
