import { EVENTS_EXCHANGE, OrderPaid } from '@app/contracts';
import { messageRoutesOf } from '@app/messaging';
import { notificationTopology } from '../../notification.topology';
import { OrderPaidHandler } from './order-paid.handler';
import type { RecordNotificationService } from './record-notification.service';

const event: OrderPaid = { orderId: '0f8fad5b-d9cb-469f-a165-70867728950e' };

describe('OrderPaidHandler (notification)', () => {
  it('records an order-paid notification for the order', async () => {
    const recordNotification: jest.Mocked<Pick<RecordNotificationService, 'record'>> = {
      record: jest.fn().mockResolvedValue(undefined),
    };
    const handler = new OrderPaidHandler(
      recordNotification as unknown as RecordNotificationService,
    );

    await handler.handle(event);

    expect(recordNotification.record).toHaveBeenCalledWith(event.orderId, 'order-paid');
  });

  it('consumes order.paid from the notification.order-events queue', () => {
    const [route] = messageRoutesOf(OrderPaidHandler);

    expect(route.kind).toBe('event');
    expect(route.queue).toBe(notificationTopology.queues.orderEvents);
    expect(route.pattern).toBe(OrderPaid);
    expect(route.queue?.name).toBe('notification.order-events');
    expect(notificationTopology.queues.orderEvents.bindings).toContainEqual({
      exchange: EVENTS_EXCHANGE,
      routingKey: 'order.paid',
    });
  });
});
